using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faultline.Contracts;

/// <summary><c>GET /api/v1/auth/config</c>: <c>mode</c> is "github" or "local".</summary>
public sealed record AuthConfig(string Mode, string? GithubWebUrl);

/// <summary><c>POST /api/v1/auth/device/start</c> (RFC 8628 device authorization response).</summary>
public sealed record DeviceStartResponse(string DeviceCode, string UserCode, string VerificationUri, int ExpiresIn, int Interval);

/// <summary><c>POST /api/v1/auth/device/poll</c>.</summary>
public sealed record DevicePollRequest(string? DeviceCode);

/// <summary><c>POST /api/v1/auth/refresh</c>.</summary>
public sealed record RefreshRequest(string? RefreshToken);

/// <summary>A Faultline token pair: <c>token_type</c> "Bearer", <c>expires_in</c> seconds of the access token.</summary>
public sealed record TokenResponse(string AccessToken, string RefreshToken, string TokenType, int ExpiresIn);

/// <summary><c>GET /api/v1/me</c>. The local account has <c>github_id</c> 0.</summary>
public sealed record UserResponse(long GithubId, string GithubLogin, string? GithubEmail, string? AvatarUrl, DateTime? CreatedAt);

/// <summary><c>GET /api/v1/auth/antiforgery</c>: send <c>request_token</c> in <c>header_name</c> or <c>form_field_name</c>.</summary>
public sealed record AntiforgeryTokenResponse(string RequestToken, string HeaderName, string FormFieldName);

/// <summary>
/// Source-generated JSON for the auth records, with <see cref="FaultlineJsonContext"/>'s options. A context of its
/// own because the generator fails when one context's [JsonSerializable] attributes are split
/// across partial declarations (dotnet/runtime#99669).
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AuthConfig))]
[JsonSerializable(typeof(DeviceStartResponse))]
[JsonSerializable(typeof(DevicePollRequest))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(UserResponse))]
[JsonSerializable(typeof(AntiforgeryTokenResponse))]
public sealed partial class AuthJsonContext : JsonSerializerContext;
