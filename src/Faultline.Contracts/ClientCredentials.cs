using System.Text.Json.Serialization;

namespace Faultline.Contracts;

/// <summary>What <c>faultline login</c> saves in <c>$XDG_CONFIG_HOME/faultline/credentials.json</c>.</summary>
public sealed record StoredCredentials(
    string Server,
    string AccessToken,
    string? RefreshToken,
    [property: JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset ExpiresAt);
