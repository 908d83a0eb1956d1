using Faultline.LanguageServer.Protocol;
using Faultline.LanguageServer.Workspace;

namespace Faultline.LanguageServer.Tests.Units;

public sealed class DocumentStoreTests
{
    private static TextDocumentContentChangeEvent Edit(int line, int character, int endLine, int endCharacter, string text) =>
        new(new Protocol.Range(new Position(line, character), new Position(endLine, endCharacter)), text);

    [Theory]
    [InlineData("a\nb\nc\n", 1, 0, 1, 0, "x\n", "a\nx\nb\nc\n")]
    [InlineData("a\nb\nc\n", 1, 0, 2, 0, "", "a\nc\n")]
    [InlineData("a\r\nb\r\nc", 2, 0, 2, 1, "z", "a\r\nb\r\nz")]
    [InlineData("abc", 0, 1, 0, 2, "XY", "aXYc")]
    [InlineData("abc", 5, 0, 5, 0, "!", "abc!")]
    public void Change_Incremental_AppliesTheEdit(string text, int line, int character, int endLine, int endCharacter, string insert, string expected)
    {
        var store = new DocumentStore();
        store.Open("/f", new TextDocumentItem("file:///f", "ts", 1, text));

        Assert.True(store.Change("/f", new VersionedTextDocumentIdentifier("file:///f", 2), [Edit(line, character, endLine, endCharacter, insert)]));

        Assert.Equal(expected, store.Get("/f")!.Text);
        Assert.Equal(2, store.Get("/f")!.Version);
    }

    [Fact]
    public void Change_FullThenIncremental_AppliesInOrder()
    {
        var store = new DocumentStore();
        store.Open("/f", new TextDocumentItem("file:///f", "ts", 1, "old"));

        store.Change("/f", new VersionedTextDocumentIdentifier("file:///f", 2), [new(null, "one\ntwo"), Edit(1, 0, 1, 3, "2")]);

        Assert.Equal("one\n2", store.Get("/f")!.Text);
    }

    [Fact]
    public void Change_DocumentNotOpen_IsIgnored() =>
        Assert.False(new DocumentStore().Change("/f", new VersionedTextDocumentIdentifier("file:///f", 2), [new(null, "x")]));
}
