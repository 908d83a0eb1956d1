using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faultline.Contracts;

/// <summary>
/// Source-generated JSON for what clients read and write (the auth and project records and the
/// saved credentials), in its own context for the same reason as <see cref="IncidentsJsonContext"/>.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StoredCredentials))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(AuthConfig))]
[JsonSerializable(typeof(DeviceStartResponse))]
[JsonSerializable(typeof(DevicePollRequest))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(UserResponse))]
[JsonSerializable(typeof(CreateProjectRequest))]
[JsonSerializable(typeof(ProjectResponse))]
[JsonSerializable(typeof(ProjectList))]
public sealed partial class ClientJsonContext : JsonSerializerContext;
