using System.Globalization;

namespace Faultline.Server.Dashboard;

/// <summary>How the dashboard writes times, durations and counts: UTC, short, and the same everywhere.</summary>
internal static class Display
{
    public static string Time(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The machine-readable form for <c>&lt;time datetime&gt;</c>.</summary>
    public static string Iso(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Ago(DateTimeOffset value, DateTimeOffset now)
    {
        var elapsed = now - value;
        return elapsed < TimeSpan.FromMinutes(1) ? "just now" : Duration(elapsed) + " ago";
    }

    public static string Duration(TimeSpan value) => value switch
    {
        { TotalMinutes: < 1 } => $"{Math.Max(0, (int)value.TotalSeconds)} s",
        { TotalHours: < 1 } => $"{(int)value.TotalMinutes} min",
        { TotalDays: < 1 } => value.Minutes == 0 ? $"{(int)value.TotalHours} h" : $"{(int)value.TotalHours} h {value.Minutes} min",
        _ => value.Hours == 0 ? $"{(int)value.TotalDays} d" : $"{(int)value.TotalDays} d {value.Hours} h",
    };

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"1 incident", "3 incidents".</summary>
    public static string Count(long value, string noun) => $"{Count(value)} {noun}{(value == 1 ? "" : "s")}";

    public static string ShortSha(string sha) => sha.Length > 7 ? sha[..7] : sha;

    /// <summary>A commit that names no real commit (the dashboard's test incident): shown, never linked.</summary>
    public static bool IsPlaceholderSha(string sha) => sha.All(c => c == '0');
}
