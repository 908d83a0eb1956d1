using System.Text.Json;
using Faultline.Contracts;

namespace Faultline.Server.Incidents;

/// <summary>An incident as read from SQL (columns aliased to these names), and its wire form.</summary>
internal sealed class IncidentRow
{
    /// <summary>An incident's own columns, over <c>incidents i</c>: the list reads its project's public id once, beside them.</summary>
    public const string ListColumns = """
        i.id AS Id, i.incident_id AS IncidentId, i.error_message AS ErrorMessage,
        i.error_type AS ErrorType, i.stack_trace AS StackTrace, i.file_path AS FilePath, i.line_number AS LineNumber,
        i.column_number AS ColumnNumber, i.commit_sha AS CommitSha, i.deployment_id AS DeploymentId,
        i.environment AS Environment, i.status AS Status, i.occurred_at AS OccurredAt, i.created_at AS CreatedAt,
        i.resolved_at AS ResolvedAt, i.fingerprint AS Fingerprint, i.metadata::text AS Metadata
        """;

    /// <summary>The select list of a whole incident, over <c>incidents i JOIN projects p</c>.</summary>
    public const string Columns = "p.project_id AS ProjectId, " + ListColumns;

    /// <summary>What can change in a listed incident once stored (and what identifies it): enough for a page's tag.</summary>
    public const string VersionColumns = """
        i.id AS Id, i.incident_id AS IncidentId, i.status AS Status, i.occurred_at AS OccurredAt, i.resolved_at AS ResolvedAt
        """;

    public Guid Id { get; init; }
    public string? IncidentId { get; init; }
    public string ProjectId { get; init; } = "";
    public string ErrorMessage { get; init; } = "";
    public string? ErrorType { get; init; }
    public string? StackTrace { get; init; }
    public string? FilePath { get; init; }
    public int? LineNumber { get; init; }
    public int? ColumnNumber { get; init; }
    public string CommitSha { get; init; } = "";
    public string? DeploymentId { get; init; }
    public string Environment { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTime OccurredAt { get; init; }
    public DateTime? CreatedAt { get; init; }
    public DateTime? ResolvedAt { get; init; }
    public string? Fingerprint { get; init; }
    public string? Metadata { get; init; }

    public Incident ToContract() => ToContract(ProjectId);

    /// <summary>The wire form, with the project's public id read beside the row (the list's).</summary>
    public Incident ToContract(string projectId) => new(
        IncidentId!, projectId, ErrorMessage, ErrorType, StackTrace, FilePath, LineNumber, ColumnNumber, CommitSha,
        DeploymentId, Environment, Status, Utc(OccurredAt), CreatedAt is { } created ? Utc(created) : null,
        ResolvedAt is { } resolved ? Utc(resolved) : null, Fingerprint,
        Metadata is null ? null : JsonDocument.Parse(Metadata).RootElement.Clone());

    internal static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <summary>An incident group as read from SQL.</summary>
internal sealed class IncidentGroupRow
{
    public Guid ProjectKey { get; init; }
    public string? Fingerprint { get; init; }
    public string? ErrorType { get; init; }
    public string ErrorMessage { get; init; } = "";
    public string? FilePath { get; init; }
    public int? LineNumber { get; init; }
    public int? ColumnNumber { get; init; }
    public string CommitSha { get; init; } = "";
    public string[] Environments { get; init; } = [];
    public long Count { get; init; }
    public DateTime FirstSeen { get; init; }
    public DateTime LastSeen { get; init; }
    public string LatestIncidentId { get; init; } = "";

    public IncidentGroup ToContract() => new(
        Fingerprint!, ErrorType, ErrorMessage, FilePath, LineNumber, ColumnNumber, CommitSha, Environments, Count,
        IncidentRow.Utc(FirstSeen), IncidentRow.Utc(LastSeen), LatestIncidentId);
}
