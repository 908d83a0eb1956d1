using Faultline.Core.LineMapping;
using Faultline.LanguageServer.Protocol;
using Faultline.LanguageServer.Workspace;

namespace Faultline.LanguageServer.Diagnostics;

/// <summary>A published diagnostic and the group it stands for (for hover and code actions).</summary>
internal sealed record FileDiagnostic(Diagnostic Diagnostic, ResolvedGroup Source, bool LineChanged)
{
    public int Line => Diagnostic.Range.Start.Line;
}

/// <summary>
/// Places a file's incident groups in its current text: one diff per (commit, old path), shared by
/// every group of that commit, then each line moved through it. CPU only, so it is cheap enough to
/// run after keystrokes.
/// </summary>
internal static class DiagnosticsBuilder
{
    public const string Source = "faultline";

    /// <param name="groups">The file's groups, placed by the last refresh.</param>
    /// <param name="currentText">The file now (buffer or working tree); <see langword="null"/> when deleted: nothing is published.</param>
    /// <param name="now">For "last 3 min ago".</param>
    public static IReadOnlyList<FileDiagnostic> Build(IReadOnlyList<ResolvedGroup> groups, string? currentText, DateTimeOffset now)
    {
        if (currentText is null || groups.Count == 0)
        {
            return [];
        }

        var lines = LineStarts(currentText);
        var maps = new Dictionary<(string Sha, string Path), LineMap>();
        var result = new List<FileDiagnostic>(groups.Count);
        foreach (var resolved in groups)
        {
            var group = resolved.Group;
            var line = group.LineNumber ?? 1;
            var changed = false;
            string? note = null;
            if (!resolved.CommitFetched)
            {
                note = $"commit {MessageFormatter.ShortSha(group.CommitSha)} not fetched";
            }
            else if (resolved.OldText is { } oldText)
            {
                var key = (group.CommitSha!, group.FilePath!);
                if (!maps.TryGetValue(key, out var map))
                {
                    map = LineMap.Create(oldText, currentText);
                    maps[key] = map;
                }

                var mapped = map.Map(line);
                if (mapped.Line is not { } newLine)
                {
                    continue;
                }

                line = newLine;
                changed = mapped.Changed;
                note = changed ? $"line changed since {MessageFormatter.ShortSha(group.CommitSha)}" : null;
            }

            var index = Math.Clamp(line, 1, lines.Count) - 1;
            var range = RangeOf(currentText, lines, index, changed ? null : group.ColumnNumber);
            var diagnostic = new Diagnostic(
                range,
                MessageFormatter.IsProduction(group) ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
                group.Fingerprint,
                Source,
                MessageFormatter.Format(group, now, note),
                new DiagnosticData(group.LatestIncidentId ?? "", group.Fingerprint));
            result.Add(new FileDiagnostic(diagnostic, resolved, changed));
        }

        return result;
    }

    /// <summary>The line from its first non-blank character (or the incident's column) to its end.</summary>
    private static Protocol.Range RangeOf(string text, List<int> lines, int index, int? column)
    {
        var start = lines[index];
        var end = index + 1 < lines.Count ? lines[index + 1] : text.Length;
        while (end > start && text[end - 1] is '\n' or '\r')
        {
            end--;
        }

        var length = end - start;
        var first = 0;
        while (first < length && char.IsWhiteSpace(text[start + first]))
        {
            first++;
        }

        var character = column is { } c && c > 0 && c - 1 < length ? c - 1 : first;
        return new Protocol.Range(new Position(index, Math.Min(character, length)), new Position(index, length));
    }

    private static List<int> LineStarts(string text)
    {
        var starts = new List<int>(text.Length / 32 + 1) { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n' || (c == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                starts.Add(i + 1);
            }
        }

        // A final line break does not start a line that could hold a diagnostic.
        if (starts.Count > 1 && starts[^1] == text.Length)
        {
            starts.RemoveAt(starts.Count - 1);
        }

        return starts;
    }
}
