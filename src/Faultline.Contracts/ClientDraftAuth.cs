using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faultline.Contracts;

// Drafts of the authentication and project records (API.md "Authentication" and "Projects") that
// the client needs before the identity and projects work lands. Field names are exactly API.md's;
// when Auth*.cs / Projects*.cs arrive, the duplicates here are to be reconciled and removed.
// (Merged with identity in the dashboard branch: AuthConfig, DevicePollRequest, RefreshRequest,
// CreateProjectRequest and ProjectList now come from AuthJson.cs / ProjectsJson.cs.)

/// <summary><c>POST /api/v1/auth/device/start</c>.</summary>
public sealed record DeviceAuthorization(string DeviceCode, string UserCode, string VerificationUri, int ExpiresIn, int Interval);

/// <summary>A token pair from device poll, local sign-in or refresh.</summary>
public sealed record TokenPair(string AccessToken, string RefreshToken, string TokenType, int ExpiresIn);

/// <summary><c>GET /api/v1/me</c>.</summary>
public sealed record UserProfile(string GithubLogin, string? GithubEmail, string? AvatarUrl);

/// <summary>A project; <see cref="IngestApiKey"/> and <see cref="Dsn"/> are present when the caller may see them.</summary>
public sealed record ProjectInfo(
    string ProjectId,
    int ProjectNumber,
    string RepoFullName,
    string RepoOwner,
    string RepoName,
    string Platform,
    string? IngestApiKey,
    string? Dsn,
    [property: JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset? CreatedAt);

/// <summary>
/// Source-generated JSON for what only clients need (the drafts above and the saved credentials),
/// in its own context for the same reason as <see cref="IncidentsJsonContext"/>.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StoredCredentials))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(AuthConfig))]
[JsonSerializable(typeof(DeviceAuthorization))]
[JsonSerializable(typeof(DevicePollRequest))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(TokenPair))]
[JsonSerializable(typeof(UserProfile))]
[JsonSerializable(typeof(CreateProjectRequest))]
[JsonSerializable(typeof(ProjectInfo))]
[JsonSerializable(typeof(ProjectList))]
public sealed partial class ClientJsonContext : JsonSerializerContext;
