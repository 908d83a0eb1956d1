using Faultline.Client.Git;

using Faultline.LanguageServer.Tests.Infrastructure;

namespace Faultline.LanguageServer.Tests.Git;

public sealed class GitFileReaderTests : IDisposable
{
    private readonly GitRepository repository = GitRepository.Create();

    public void Dispose() => repository.Dispose();

    [Fact]
    public async Task ShowAsync_FileAtOlderCommit_ReturnsThatVersionAndCachesIt()
    {
        repository.Write("src/app.ts", "one\ntwo\n");
        var first = repository.Commit("first");
        repository.Write("src/app.ts", "zero\none\ntwo\n");
        repository.Commit("second");
        await using var reader = (await GitFileReader.OpenAsync(repository.Root, TestContext.Current.CancellationToken))!;

        var content = await reader.ShowAsync(first, "src/app.ts", TestContext.Current.CancellationToken);
        var requests = reader.BatchRequests;
        var again = await reader.ShowAsync(first, "src/app.ts", TestContext.Current.CancellationToken);

        Assert.Equal("one\ntwo\n", content);
        Assert.Equal(content, again);
        Assert.Equal(requests, reader.BatchRequests);
    }

    [Fact]
    public async Task ShowAsync_ManyFiles_UsesOneProcessAndReadsEachExactly()
    {
        for (var i = 0; i < 50; i++)
        {
            repository.Write($"f{i}.txt", string.Concat(Enumerable.Repeat($"line of file {i}\n", i * 100)));
        }

        var sha = repository.Commit("many");
        await using var reader = (await GitFileReader.OpenAsync(repository.Root, TestContext.Current.CancellationToken))!;

        for (var i = 0; i < 50; i++)
        {
            var content = await reader.ShowAsync(sha, $"f{i}.txt", TestContext.Current.CancellationToken);
            Assert.Equal(i * 100 * $"line of file {i}\n".Length, content!.Length);
        }
    }

    [Fact]
    public async Task ShowAsync_PathNotInCommit_ReturnsNull()
    {
        repository.Write("a.txt", "a");
        var sha = repository.Commit("a");
        await using var reader = (await GitFileReader.OpenAsync(repository.Root, TestContext.Current.CancellationToken))!;

        Assert.Null(await reader.ShowAsync(sha, "missing.txt", TestContext.Current.CancellationToken));
        Assert.Equal("a", await reader.ShowAsync(sha, "a.txt", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CommitExistsAsync_UnknownSha_IsFalseAndKnownIsTrue()
    {
        repository.Write("a.txt", "a");
        var sha = repository.Commit("a");
        await using var reader = (await GitFileReader.OpenAsync(repository.Root, TestContext.Current.CancellationToken))!;

        Assert.True(await reader.CommitExistsAsync(sha, TestContext.Current.CancellationToken));
        Assert.False(await reader.CommitExistsAsync(new string('d', 40), TestContext.Current.CancellationToken));
        Assert.Null(await reader.ShowAsync(new string('d', 40), "a.txt", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GetHeadAsync_AfterCommit_ChangesAndSoDoesTheSignature()
    {
        repository.Write("a.txt", "a");
        var first = repository.Commit("a");
        await using var reader = (await GitFileReader.OpenAsync(repository.Root, TestContext.Current.CancellationToken))!;
        var signature = reader.ReadHeadSignature();

        Assert.Equal(first, await reader.GetHeadAsync(TestContext.Current.CancellationToken));
        var second = repository.Commit("b");

        Assert.Equal(second, await reader.GetHeadAsync(TestContext.Current.CancellationToken));
        Assert.NotEqual(signature, reader.ReadHeadSignature());
    }

    [Fact]
    public async Task ReadHeadSignature_CheckoutOtherBranch_Changes()
    {
        repository.Write("a.txt", "a");
        repository.Commit("a");
        repository.Git("branch", "feature");
        await using var reader = (await GitFileReader.OpenAsync(repository.Root, TestContext.Current.CancellationToken))!;
        var signature = reader.ReadHeadSignature();

        repository.Git("checkout", "-q", "feature");

        Assert.NotEqual(signature, reader.ReadHeadSignature());
    }

    [Fact]
    public async Task GetRenamesAsync_FileMovedInLaterCommit_MapsOldPathToNew()
    {
        repository.Write("src/old-name.ts", string.Concat(Enumerable.Range(1, 30).Select(i => $"export const value{i} = {i};\n")));
        repository.Write("src/stays.ts", "x");
        var first = repository.Commit("first");
        repository.Git("mv", "src/old-name.ts", "src/new-name.ts");
        var head = repository.Commit("rename");
        await using var reader = (await GitFileReader.OpenAsync(repository.Root, TestContext.Current.CancellationToken))!;

        var renames = await reader.GetRenamesAsync(first, head, TestContext.Current.CancellationToken);

        Assert.Equal("src/new-name.ts", Assert.Single(renames, r => r.Key == "src/old-name.ts").Value);
        Assert.DoesNotContain("src/stays.ts", renames.Keys);
    }

    [Fact]
    public async Task ReadWorkingTreeFile_ExistingMissingAndOutside_ReadsOnlyInside()
    {
        repository.Write("a.txt", "unsaved? no, saved");
        await using var reader = (await GitFileReader.OpenAsync(repository.Root, TestContext.Current.CancellationToken))!;

        Assert.Equal("unsaved? no, saved", reader.ReadWorkingTreeFile("a.txt"));
        Assert.Null(reader.ReadWorkingTreeFile("b.txt"));
        Assert.Null(reader.ReadWorkingTreeFile("../../etc/passwd"));
    }

    [Fact]
    public async Task OpenAsync_NotARepository_ReturnsNull()
    {
        var folder = Directory.CreateTempSubdirectory("faultline-not-git-");
        try
        {
            Assert.Null(await GitFileReader.OpenAsync(folder.FullName, TestContext.Current.CancellationToken));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
