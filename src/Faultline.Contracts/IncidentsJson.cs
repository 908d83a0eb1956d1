using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faultline.Contracts;

/// <summary>An incident as the incidents endpoints return it (API.md "Incidents").</summary>
public sealed record Incident(
    string IncidentId,
    string ProjectId,
    string ErrorMessage,
    string? ErrorType,
    string? StackTrace,
    string? FilePath,
    int? LineNumber,
    int? ColumnNumber,
    string CommitSha,
    string? DeploymentId,
    string Environment,
    string Status,
    [property: JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset OccurredAt,
    [property: JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset? CreatedAt,
    [property: JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset? ResolvedAt,
    string? Fingerprint,
    JsonElement? Metadata);

/// <summary>One page of a repository's incidents, newest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record IncidentPage(IReadOnlyList<Incident> Incidents, string? NextCursor);

/// <summary>One row per fingerprint: how often and where it happened, with the latest incident's fields.</summary>
public sealed record IncidentGroup(
    string Fingerprint,
    string? ErrorType,
    string ErrorMessage,
    string? FilePath,
    int? LineNumber,
    int? ColumnNumber,
    string CommitSha,
    IReadOnlyList<string> Environments,
    long Count,
    [property: JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset FirstSeen,
    [property: JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset LastSeen,
    string LatestIncidentId);

/// <summary>One page of incident groups, most recently seen first.</summary>
public sealed record IncidentGroupPage(IReadOnlyList<IncidentGroup> Groups, string? NextCursor);

/// <summary>The answer to resolving a group: how many open incidents it resolved.</summary>
public sealed record IncidentGroupResolved(int Resolved);

/// <summary>Incident statuses and the list filter's values.</summary>
public static class IncidentStatus
{
    public const string Open = "open";
    public const string Resolved = "resolved";
    public const string All = "all";
}

/// <summary>RFC 3339 in UTC with milliseconds (<c>2026-11-25T10:04:05.123Z</c>), as API.md's general rules say.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>
/// Source-generated JSON for the incident records. Its own context, because the JSON source
/// generator fails on a second partial declaration of one context carrying [JsonSerializable].
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Incident))]
[JsonSerializable(typeof(IncidentPage))]
[JsonSerializable(typeof(IncidentGroupPage))]
[JsonSerializable(typeof(IncidentGroupResolved))]
public sealed partial class IncidentsJsonContext : JsonSerializerContext;
