namespace Faultline.LanguageServer.Protocol;

internal sealed record TextDocumentIdentifier(string Uri);

internal sealed record TextDocumentItem(string Uri, string LanguageId, int Version, string Text);

internal sealed record VersionedTextDocumentIdentifier(string Uri, int Version);

internal sealed record DidOpenTextDocumentParams(TextDocumentItem TextDocument);

internal sealed record DidChangeTextDocumentParams(
    VersionedTextDocumentIdentifier TextDocument,
    IReadOnlyList<TextDocumentContentChangeEvent> ContentChanges);

/// <summary>With a range: an incremental change; without: the whole new text.</summary>
internal sealed record TextDocumentContentChangeEvent(Range? Range, string Text);

internal sealed record DidCloseTextDocumentParams(TextDocumentIdentifier TextDocument);

internal sealed record Position(int Line, int Character);

internal sealed record Range(Position Start, Position End);
