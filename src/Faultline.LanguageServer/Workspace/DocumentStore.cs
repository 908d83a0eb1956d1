using System.Collections.Concurrent;
using Faultline.LanguageServer.Protocol;

namespace Faultline.LanguageServer.Workspace;

/// <summary>An open editor buffer: the text as the user sees it, unsaved edits included.</summary>
internal sealed record OpenDocument(string Uri, int Version, string Text);

/// <summary>The editor's open buffers, by local file path.</summary>
internal sealed class DocumentStore
{
    private readonly ConcurrentDictionary<string, OpenDocument> documents = new(StringComparer.Ordinal);

    /// <summary>The local path of a <c>file:</c> URI, or <see langword="null"/> for other schemes.</summary>
    public static string? ToPath(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile ? Path.GetFullPath(parsed.LocalPath) : null;

    public static string ToUri(string path) => new Uri(path).AbsoluteUri;

    public OpenDocument? Get(string path) => documents.GetValueOrDefault(path);

    public void Open(string path, TextDocumentItem item) => documents[path] = new OpenDocument(item.Uri, item.Version, item.Text);

    public void Close(string path) => documents.TryRemove(path, out _);

    /// <summary>Applies full or incremental changes in order; returns false for a document that is not open.</summary>
    public bool Change(string path, VersionedTextDocumentIdentifier identifier, IReadOnlyList<TextDocumentContentChangeEvent> changes)
    {
        if (!documents.TryGetValue(path, out var document))
        {
            return false;
        }

        var text = document.Text;
        foreach (var change in changes)
        {
            text = change.Range is { } range ? Replace(text, range, change.Text) : change.Text;
        }

        documents[path] = document with { Version = identifier.Version, Text = text };
        return true;
    }

    private static string Replace(string text, Protocol.Range range, string replacement)
    {
        var start = OffsetOf(text, range.Start);
        var end = Math.Max(start, OffsetOf(text, range.End));
        return string.Concat(text.AsSpan(0, start), replacement, text.AsSpan(end));
    }

    /// <summary>UTF-16 offset of an LSP position (UTF-16 is LSP's default encoding), clamped to the text.</summary>
    private static int OffsetOf(string text, Position position)
    {
        var offset = 0;
        for (var line = 0; line < position.Line; line++)
        {
            var next = text.IndexOfAny(['\r', '\n'], offset);
            if (next < 0)
            {
                return text.Length;
            }

            offset = next + (text[next] == '\r' && next + 1 < text.Length && text[next + 1] == '\n' ? 2 : 1);
        }

        var lineEnd = text.IndexOfAny(['\r', '\n'], offset);
        var lineLength = (lineEnd < 0 ? text.Length : lineEnd) - offset;
        return offset + Math.Clamp(position.Character, 0, lineLength);
    }
}
