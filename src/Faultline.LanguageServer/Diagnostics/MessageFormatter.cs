using System.Globalization;
using Faultline.Contracts;

namespace Faultline.LanguageServer.Diagnostics;

/// <summary>The words of a diagnostic: <c>TypeError: … — 12× in production, last 3 min ago</c>.</summary>
internal static class MessageFormatter
{
    public static string Format(IncidentGroup group, DateTimeOffset now, string? note)
    {
        var message = $"{Title(group)} — {group.Count.ToString(CultureInfo.InvariantCulture)}× in {Environments(group)}";
        if (group.LastSeen is { } lastSeen)
        {
            message += $", last {Ago(now, lastSeen)}";
        }

        return note is null ? message : $"{message} · {note}";
    }

    public static string Title(IncidentGroup group) =>
        (group.ErrorType, group.ErrorMessage) switch
        {
            ({ Length: > 0 } type, { Length: > 0 } text) => $"{type}: {text}",
            ({ Length: > 0 } type, _) => type,
            (_, { Length: > 0 } text) => text,
            _ => "Error",
        };

    public static string Environments(IncidentGroup group)
    {
        var names = group.Environments is { Count: > 0 } list ? list : ["production"];
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} and {names[^1]}";
    }

    public static bool IsProduction(IncidentGroup group) =>
        group.Environments is not { Count: > 0 } list || list.Contains("production", StringComparer.OrdinalIgnoreCase);

    public static string ShortSha(string? sha) => sha is { Length: > 7 } ? sha[..7] : sha ?? "unknown";

    public static string Ago(DateTimeOffset now, DateTimeOffset then)
    {
        var elapsed = now - then;
        return elapsed switch
        {
            _ when elapsed < TimeSpan.FromMinutes(1) => "just now",
            _ when elapsed < TimeSpan.FromHours(1) => $"{(int)elapsed.TotalMinutes} min ago",
            _ when elapsed < TimeSpan.FromDays(2) => $"{(int)elapsed.TotalHours} h ago",
            _ => $"{(int)elapsed.TotalDays} days ago",
        };
    }

    public static string Timestamp(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "unknown";
}
