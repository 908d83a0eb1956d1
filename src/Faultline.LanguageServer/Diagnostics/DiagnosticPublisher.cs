using System.Collections.Concurrent;
using Faultline.LanguageServer.Protocol;
using StreamJsonRpc;

namespace Faultline.LanguageServer.Diagnostics;

/// <summary>
/// Sends <c>textDocument/publishDiagnostics</c> for a file only when what the user would see
/// changed, and remembers what was published for hover and code actions.
/// </summary>
internal sealed class DiagnosticPublisher(JsonRpc rpc)
{
    private readonly ConcurrentDictionary<string, PublishedFile> published = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim sendLock = new(1, 1);

    public IReadOnlyList<FileDiagnostic> Get(string path) => published.TryGetValue(path, out var file) ? file.Items : [];

    public IEnumerable<string> PublishedPaths => published.Keys;

    /// <summary>Publishes a file's diagnostics; returns whether a notification was sent.</summary>
    public async Task<bool> PublishAsync(string path, string uri, IReadOnlyList<FileDiagnostic> items)
    {
        var signature = string.Join('\n', items.Select(Signature));
        await sendLock.WaitAsync();
        try
        {
            var unchanged = published.TryGetValue(path, out var previous) && previous.Signature == signature && previous.Uri == uri;
            if (items.Count == 0)
            {
                published.TryRemove(path, out _);
            }
            else
            {
                published[path] = new PublishedFile(uri, items, signature);
            }

            if (unchanged || (previous is null && items.Count == 0))
            {
                return false;
            }

            if (previous is not null && previous.Uri != uri)
            {
                await rpc.NotifyWithParameterObjectAsync(LspMethods.PublishDiagnostics, new PublishDiagnosticsParams(previous.Uri, []));
            }

            await rpc.NotifyWithParameterObjectAsync(
                LspMethods.PublishDiagnostics, new PublishDiagnosticsParams(uri, [.. items.Select(i => i.Diagnostic)]));
            return true;
        }
        finally
        {
            sendLock.Release();
        }
    }

    private static string Signature(FileDiagnostic item)
    {
        var d = item.Diagnostic;
        return $"{d.Range.Start.Line}:{d.Range.Start.Character}-{d.Range.End.Line}:{d.Range.End.Character}|{d.Severity}|{d.Code}|{d.Message}";
    }

    private sealed record PublishedFile(string Uri, IReadOnlyList<FileDiagnostic> Items, string Signature);
}
