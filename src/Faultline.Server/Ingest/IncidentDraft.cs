using System.Text.Json;
using Faultline.Core.StackTraces;

namespace Faultline.Server.Ingest;

/// <summary>
/// One incident as a client described it, before it is cleaned, located and fingerprinted:
/// what the native API's JSON and a Sentry event both turn into.
/// </summary>
internal sealed class IncidentDraft
{
    public Guid? EventId { get; set; }

    /// <summary>The event id as the client wrote it (UUID or 32 hex), echoed back in the answer.</summary>
    public string? EventIdText { get; set; }
    public string ErrorMessage { get; set; } = string.Empty;
    public string? ErrorType { get; set; }
    public string? StackTrace { get; set; }
    public List<StackFrame>? Frames { get; set; }
    public string? FilePath { get; set; }
    public int? LineNumber { get; set; }
    public int? ColumnNumber { get; set; }
    public string CommitSha { get; set; } = string.Empty;
    public string? DeploymentId { get; set; }
    public string Environment { get; set; } = "production";
    public DateTimeOffset? OccurredAt { get; set; }
    public List<string>? Fingerprint { get; set; }

    /// <summary>The client's own metadata object, copied into the incident's metadata.</summary>
    public JsonElement? Metadata { get; set; }

    /// <summary>What the Sentry route keeps about the event (sdk, platform, release, tags, level), copied into metadata.sentry.</summary>
    public Dictionary<string, JsonElement>? Sentry { get; set; }
}

/// <summary>An incident ready to insert: cleaned, bounded, located and fingerprinted.</summary>
internal sealed record IncidentRecord(
    string IncidentId,
    Guid ProjectId,
    Guid EventId,
    string ErrorMessage,
    string? ErrorType,
    string? StackTrace,
    string? FilePath,
    int? LineNumber,
    int? ColumnNumber,
    string CommitSha,
    string? DeploymentId,
    string Environment,
    DateTime OccurredAt,
    string Fingerprint,
    string Metadata);
