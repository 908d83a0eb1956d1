using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faultline.Contracts;

/// <summary>
/// Source-generated JSON for every wire record, snake_case as API.md says. Each feature adds its
/// types in its own file with another <c>partial</c> declaration carrying <c>[JsonSerializable]</c>.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
public sealed partial class FaultlineJsonContext : JsonSerializerContext;
