using System.Text.Json;

namespace Faultline.LanguageServer;

/// <summary>
/// The editor's settings: <c>{ "server": "…", "refresh_interval_seconds": 60 }</c> from
/// <c>initializationOptions</c> or <c>workspace/didChangeConfiguration</c>. A <c>faultline</c> section
/// (as VS Code sends it, with <c>refreshIntervalSeconds</c>) is read too.
/// </summary>
internal sealed record Settings(string? Server, int RefreshIntervalSeconds)
{
    public const int DefaultRefreshIntervalSeconds = 60;

    public static Settings Default { get; } = new(null, DefaultRefreshIntervalSeconds);

    public TimeSpan RefreshInterval => TimeSpan.FromSeconds(RefreshIntervalSeconds);

    /// <summary>Settings found in <paramref name="json"/>, over <paramref name="current"/>.</summary>
    public static Settings Read(JsonElement? json, Settings current)
    {
        if (json is not { ValueKind: JsonValueKind.Object } element)
        {
            return current;
        }

        if (element.TryGetProperty("faultline", out var section) && section.ValueKind == JsonValueKind.Object)
        {
            element = section;
        }

        var server = current.Server;
        if (element.TryGetProperty("server", out var serverValue))
        {
            server = serverValue.ValueKind == JsonValueKind.String && serverValue.GetString() is { Length: > 0 } text ? text : null;
        }

        var interval = current.RefreshIntervalSeconds;
        foreach (var name in (string[])["refresh_interval_seconds", "refreshIntervalSeconds"])
        {
            if (element.TryGetProperty(name, out var value) && value.TryGetInt32(out var seconds) && seconds > 0)
            {
                interval = seconds;
            }
        }

        return new Settings(server, interval);
    }
}
