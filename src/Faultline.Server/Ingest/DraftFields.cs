using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Faultline.Server.Ingest;

/// <summary>Field checks shared by the native and Sentry parsers, collecting messages per field.</summary>
internal sealed partial class DraftErrors
{
    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    public bool Any => Errors.Count > 0;

    public void Add(string field, string message) =>
        Errors[field] = Errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
}

internal static partial class DraftFields
{
    public static bool IsCommitSha(string value) => value.Length == 40 && Sha().IsMatch(value);

    /// <summary>A 40-hex SHA that is the whole release or ends it (<c>app@&lt;sha&gt;</c>, <c>web-&lt;sha&gt;</c>).</summary>
    public static string? CommitFromRelease(string? release)
    {
        if (release is null || release.Length < 40)
        {
            return null;
        }

        var tail = release[^40..];
        if (!IsCommitSha(tail))
        {
            return null;
        }

        return release.Length == 40 || !char.IsAsciiHexDigit(release[^41]) ? tail.ToLowerInvariant() : null;
    }

    public static bool TryParseEventId(string value, out Guid eventId) =>
        Guid.TryParseExact(value, "N", out eventId) || Guid.TryParseExact(value, "D", out eventId);

    /// <summary>Environment names: short, lowercase, Vercel's names mapped to ours.</summary>
    public static string? NormalizeEnvironment(string value)
    {
        var lower = value.Trim().ToLowerInvariant();
        lower = lower switch
        {
            "vercel-production" => "production",
            "vercel-preview" => "preview",
            "vercel-development" => "development",
            _ => lower,
        };
        return Environment().IsMatch(lower) ? lower : null;
    }

    public static bool TryParseTimestamp(JsonElement element, out DateTimeOffset timestamp)
    {
        timestamp = default;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp);
            case JsonValueKind.Number when element.TryGetDouble(out var seconds) && double.IsFinite(seconds):
                // Out-of-range seconds are still a timestamp; clamp to the representable range, the normalizer clamps further.
                var milliseconds = Math.Clamp(seconds * 1000, -62_135_596_800_000d, 253_402_300_799_000d);
                timestamp = DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);
                return true;
            default:
                return false;
        }
    }

    /// <summary>A positive line or column number; anything else is a validation error.</summary>
    public static int? ReadPositiveInt(JsonElement element, string field, DraftErrors errors)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value) && value >= 0)
        {
            return value == 0 ? null : value;
        }

        errors.Add(field, "must be a positive integer.");
        return null;
    }

    public static string? ReadString(JsonElement element, string field, DraftErrors errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return element.GetString();
            default:
                errors.Add(field, "must be a string.");
                return null;
        }
    }

    /// <summary>A fingerprint: one string or a list of strings.</summary>
    public static List<string>? ReadFingerprint(JsonElement element, string field, DraftErrors errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return [element.GetString()!];
            case JsonValueKind.Array:
                var parts = new List<string>();
                foreach (var item in element.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        parts.Add(item.GetString()!);
                    }
                    else if (item.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                    {
                        parts.Add(item.GetRawText());
                    }
                    else
                    {
                        errors.Add(field, "must be a string or a list of strings.");
                        return null;
                    }
                }

                return parts.Count > 0 ? parts : null;
            default:
                errors.Add(field, "must be a string or a list of strings.");
                return null;
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{40}$")]
    private static partial Regex Sha();

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,49}$")]
    private static partial Regex Environment();
}
