using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faultline.LanguageServer.Incidents;

// The language server's view of API.md's incident shapes. Private to this project until the shared
// typed client (Faultline.Client) offers them; unknown fields are ignored, missing ones are null.

/// <summary>One row of <c>GET /api/v1/repos/{owner}/{repo}/incident-groups</c>.</summary>
internal sealed record IncidentGroup(
    string Fingerprint,
    string? ErrorType,
    string? ErrorMessage,
    string? FilePath,
    int? LineNumber,
    int? ColumnNumber,
    string? CommitSha,
    IReadOnlyList<string>? Environments,
    long Count,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    string? LatestIncidentId);

/// <summary><c>GET /api/v1/incidents/{incident_id}</c>; <c>frames</c> is read when the server sends it.</summary>
internal sealed record Incident(
    string IncidentId,
    string? ErrorMessage,
    string? ErrorType,
    string? StackTrace,
    string? Environment,
    string? CommitSha,
    DateTimeOffset? OccurredAt,
    IReadOnlyList<IncidentFrame>? Frames);

internal sealed record IncidentFrame(string? File, int? Line, int? Column, string? Function, bool? InApp);

internal sealed record TokenPair(string AccessToken, string? RefreshToken, int? ExpiresIn);

internal static class IncidentJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
