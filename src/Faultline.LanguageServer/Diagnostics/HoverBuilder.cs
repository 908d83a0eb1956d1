using System.Globalization;
using System.Text;
using Faultline.Contracts;

namespace Faultline.LanguageServer.Diagnostics;

/// <summary>The hover of a Faultline diagnostic, in Markdown: what failed, how often, where, and the stack trace.</summary>
internal static class HoverBuilder
{
    private static readonly string[] FrameworkMarkers =
        ["node_modules", "node:internal", "site-packages", "dist-packages", "at System.", "at Microsoft.", "/usr/lib/", "<anonymous>"];

    public static string Build(FileDiagnostic diagnostic, Incident? incident, Uri? dashboard, DateTimeOffset now)
    {
        var group = diagnostic.Source.Group;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"**{Escape(group.ErrorType ?? "Error")}**");
        if (group.ErrorMessage is { Length: > 0 } message)
        {
            text.Append(": ").Append(Escape(message));
        }

        text.Append("\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- **{group.Count}×** in {MessageFormatter.Environments(group)}\n");
        text.Append(CultureInfo.InvariantCulture, $"- First seen {MessageFormatter.Timestamp(group.FirstSeen)}, last seen {MessageFormatter.Timestamp(group.LastSeen)}");
        if (group.LastSeen is { } lastSeen)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({MessageFormatter.Ago(now, lastSeen)})");
        }

        text.Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"- Commit `{MessageFormatter.ShortSha(group.CommitSha)}`, {group.FilePath}:{group.LineNumber}");
        if (!diagnostic.Source.CommitFetched)
        {
            text.Append(" (commit not fetched: line shown as reported)");
        }
        else if (diagnostic.LineChanged)
        {
            text.Append(" (this line changed since)");
        }

        text.Append('\n');
        if (dashboard is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"- [Open in dashboard]({dashboard})\n");
        }

        if (StackTrace(incident) is { Length: > 0 } trace)
        {
            text.Append("\n**Stack trace** (in-app frames first)\n\n```text\n").Append(trace).Append("\n```\n");
        }

        return text.ToString();
    }

    /// <summary>The raw trace with in-app frames first, then the library ones (the header lines stay on top).</summary>
    public static string? StackTrace(Incident? incident)
    {
        if (incident?.StackTrace is not { Length: > 0 } raw)
        {
            return null;
        }

        var lines = raw.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var header = lines.TakeWhile(l => !IsFrame(l)).ToList();
        var frameLines = lines.Skip(header.Count).Where(l => l.Trim().Length > 0).ToList();
        var inApp = frameLines.Where(l => !FrameworkMarkers.Any(m => l.Contains(m, StringComparison.Ordinal)));
        var library = frameLines.Where(l => FrameworkMarkers.Any(m => l.Contains(m, StringComparison.Ordinal)));
        return string.Join('\n', header.Concat(inApp).Concat(library)).Replace("```", "'''", StringComparison.Ordinal);
    }

    private static bool IsFrame(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.StartsWith("at ", StringComparison.Ordinal) || trimmed.StartsWith("File \"", StringComparison.Ordinal);
    }

    private static string Escape(string text) => text.Replace("*", "\\*", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
