using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Faultline.LanguageServer.Incidents;

/// <summary>What the language server signs in with.</summary>
internal sealed record Credentials(string AccessToken, string? RefreshToken, DateTimeOffset? ExpiresAt, string? Server, bool FromEnvironment);

/// <summary>
/// Reads the credentials <c>faultline login</c> saves at <c>$XDG_CONFIG_HOME/faultline/credentials.json</c>
/// (<c>FAULTLINE_TOKEN</c> overrides), and writes back refreshed tokens. The file's exact shape is the
/// CLI's; until it is shared this reads it defensively: a JSON object with <c>access_token</c>,
/// <c>refresh_token</c>, an expiry (<c>expires_at</c> or <c>expiry</c>, RFC 3339) and the server
/// (<c>server</c> or <c>server_url</c>). Unknown properties are kept when writing.
/// </summary>
internal sealed class CredentialStore(LanguageServerOptions options)
{
    private static readonly string[] ServerKeys = ["server", "server_url", "url"];
    private static readonly string[] ExpiryKeys = ["expires_at", "expiry", "access_token_expires_at"];

    public string FilePath { get; } = Path.Combine(options.ConfigDirectory, "faultline", "credentials.json");

    /// <summary>The credentials, or <see langword="null"/> when not signed in.</summary>
    public Credentials? Load()
    {
        if (!string.IsNullOrWhiteSpace(options.EnvironmentToken))
        {
            return new Credentials(options.EnvironmentToken, null, null, null, FromEnvironment: true);
        }

        var json = ReadFile();
        var accessToken = ReadString(json, "access_token");
        if (json is null || accessToken is null)
        {
            return null;
        }

        var expiry = ExpiryKeys.Select(key => ReadString(json, key)).FirstOrDefault(v => v is not null);
        DateTimeOffset? expiresAt = DateTimeOffset.TryParse(expiry, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;
        var server = ServerKeys.Select(key => ReadString(json, key)).FirstOrDefault(v => v is not null);
        return new Credentials(accessToken, ReadString(json, "refresh_token"), expiresAt, server, FromEnvironment: false);
    }

    /// <summary>Saves a refreshed pair in place of the old one (the old refresh token no longer works), mode 0600.</summary>
    public void Save(TokenPair tokens, DateTimeOffset now)
    {
        var json = ReadFile() ?? [];
        json["access_token"] = tokens.AccessToken;
        if (tokens.RefreshToken is not null)
        {
            json["refresh_token"] = tokens.RefreshToken;
        }

        if (tokens.ExpiresIn is { } seconds)
        {
            var key = ExpiryKeys.FirstOrDefault(json.ContainsKey) ?? ExpiryKeys[0];
            json[key] = now.AddSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var temporary = FilePath + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, fileOptions))
        {
            JsonSerializer.Serialize(stream, json, IndentedOptions);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }

    private static readonly JsonSerializerOptions IndentedOptions = new() { WriteIndented = true };

    private JsonObject? ReadFile()
    {
        try
        {
            return File.Exists(FilePath) ? JsonNode.Parse(File.ReadAllText(FilePath)) as JsonObject : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private static string? ReadString(JsonObject? json, string key) =>
        json?[key] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
