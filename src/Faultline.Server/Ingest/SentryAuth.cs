using System.Text.Json;

namespace Faultline.Server.Ingest;

/// <summary>Where Sentry SDKs put the DSN's public key, and the envelope header's fields.</summary>
internal static class SentryAuth
{
    /// <summary>
    /// <c>X-Sentry-Auth: Sentry sentry_key=…, sentry_version=7</c> (pairs separated by "," or ", "),
    /// the same in <c>Authorization</c>, or the <c>sentry_key</c> query parameter.
    /// </summary>
    public static string? KeyFromRequest(HttpRequest request)
    {
        foreach (var header in (string[])["X-Sentry-Auth", "Authorization"])
        {
            var value = request.Headers[header].ToString();
            if (!value.StartsWith("Sentry ", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var pair in value[7..].Split(','))
            {
                var separator = pair.IndexOf('=', StringComparison.Ordinal);
                if (separator > 0 && pair[..separator].Trim().Equals("sentry_key", StringComparison.Ordinal))
                {
                    var key = pair[(separator + 1)..].Trim();
                    if (key.Length > 0)
                    {
                        return key;
                    }
                }
            }
        }

        var query = request.Query["sentry_key"].ToString();
        return query.Length > 0 ? query : null;
    }

    /// <summary>The key in the envelope header's <c>dsn</c> (<c>https://KEY@host/42</c>).</summary>
    public static string? KeyFromDsn(JsonElement header)
    {
        if (!header.TryGetProperty("dsn", out var dsn) || dsn.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(dsn.GetString(), UriKind.Absolute, out var uri))
        {
            return null;
        }

        var user = Uri.UnescapeDataString(uri.UserInfo.Split(':')[0]);
        return user.Length > 0 ? user : null;
    }

    public static Guid? EventId(JsonElement header) =>
        header.TryGetProperty("event_id", out var value) && value.ValueKind == JsonValueKind.String
        && DraftFields.TryParseEventId(value.GetString()!, out var eventId)
            ? eventId
            : null;
}
