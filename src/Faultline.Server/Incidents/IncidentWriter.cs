using Dapper;
using Faultline.Contracts;
using Faultline.Server.Monitoring;
using Npgsql;

namespace Faultline.Server.Incidents;

/// <summary>Resolving and reopening. Ownership is part of every statement, as in <see cref="IncidentQueries"/>.</summary>
internal sealed class IncidentWriter(NpgsqlDataSource db, IncidentQueries queries, TimeProvider time, FaultlineMetrics metrics)
{
    internal const string ResolveIncidentSql = $"""
        UPDATE incidents i SET status = 'resolved', resolved_at = @Now
        FROM projects p
        WHERE p.id = i.project_id AND p.owner_id = @UserId AND i.incident_id = @IncidentId AND i.status <> 'resolved'
        RETURNING {IncidentRow.Columns}
        """;

    internal const string ReopenIncidentSql = $"""
        UPDATE incidents i SET status = 'open', resolved_at = NULL
        FROM projects p
        WHERE p.id = i.project_id AND p.owner_id = @UserId AND i.incident_id = @IncidentId AND i.status <> 'open'
        RETURNING {IncidentRow.Columns}
        """;

    // A NULL fingerprint (incidents stored before grouping) is a group of one, named by the incident id,
    // as the groups list shows it.
    internal const string ResolveGroupSql = """
        WITH p AS (
          SELECT id FROM projects WHERE repo_full_name = @Repository AND owner_id = @UserId
        ), resolved AS (
          UPDATE incidents i SET status = 'resolved', resolved_at = @Now
          FROM p
          WHERE i.project_id = p.id AND i.status = 'open'
            AND (i.fingerprint = @Fingerprint OR (i.fingerprint IS NULL AND i.incident_id = @Fingerprint))
          RETURNING i.occurred_at
        )
        SELECT EXISTS (SELECT 1 FROM p) AS ProjectExists, ARRAY(SELECT occurred_at FROM resolved) AS OccurredAt
        """;

    /// <summary>Resolves the incident (already resolved: unchanged); null when it is not the caller's.</summary>
    public Task<Incident?> ResolveAsync(Guid userId, string incidentId, CancellationToken cancellationToken) =>
        ChangeAsync(ResolveIncidentSql, userId, incidentId, resolved: true, cancellationToken);

    /// <summary>Reopens the incident (already open: unchanged); null when it is not the caller's.</summary>
    public Task<Incident?> ReopenAsync(Guid userId, string incidentId, CancellationToken cancellationToken) =>
        ChangeAsync(ReopenIncidentSql, userId, incidentId, resolved: false, cancellationToken);

    /// <summary>Resolves the group's open incidents; null when the repository is not the caller's.</summary>
    public async Task<IncidentGroupResolved?> ResolveGroupAsync(Guid userId, string repository, string fingerprint, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var result = await connection.QuerySingleAsync<GroupResolution>(new CommandDefinition(
            ResolveGroupSql, new { UserId = userId, Repository = repository, Fingerprint = fingerprint, Now = now },
            cancellationToken: cancellationToken));
        if (!result.ProjectExists)
        {
            return null;
        }

        foreach (var occurredAt in result.OccurredAt)
        {
            metrics.Resolved(now - IncidentRow.Utc(occurredAt));
        }

        return new IncidentGroupResolved(result.OccurredAt.Length);
    }

    private async Task<Incident?> ChangeAsync(string sql, Guid userId, string incidentId, bool resolved, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        IncidentRow? row;
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            row = await connection.QuerySingleOrDefaultAsync<IncidentRow>(new CommandDefinition(
                sql, new { UserId = userId, IncidentId = incidentId, Now = now }, cancellationToken: cancellationToken));
        }

        if (row is null)
        {
            // Nothing changed: either it already had that status or it is not the caller's.
            return await queries.GetAsync(userId, incidentId, cancellationToken);
        }

        if (resolved)
        {
            metrics.Resolved(now - IncidentRow.Utc(row.OccurredAt));
        }

        return row.ToContract();
    }

    private sealed class GroupResolution
    {
        public bool ProjectExists { get; init; }
        public DateTime[] OccurredAt { get; init; } = [];
    }
}
