using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faultline.Contracts;

/// <summary>
/// Source-generated JSON for every wire record, snake_case as API.md says. The generator reads one
/// declaration only (attributes on a second partial declaration collide), so every wire type is
/// listed here.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(IngestResponse))]
[JsonSerializable(typeof(SentryResponse))]
public sealed partial class FaultlineJsonContext : JsonSerializerContext;
