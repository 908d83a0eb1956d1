using System.Text;
using Dapper;
using Faultline.Contracts;
using Npgsql;

namespace Faultline.Server.Incidents;

/// <summary>
/// Reads of incidents. Ownership is part of every query (<c>p.owner_id = @UserId</c>), so a
/// repository or incident that is not the caller's reads exactly like one that does not exist.
/// The lists walk <c>idx_incidents_project_status_occurred</c> newest first and stop at the limit.
/// </summary>
internal sealed class IncidentQueries(NpgsqlDataSource db)
{
    /// <summary>The filters shared by both lists, on <c>incidents i</c>; constant-folded per execution.</summary>
    private const string FilterSql = """
        (@Status = 'all' OR i.status = @Status)
        AND (@Environment::text IS NULL OR i.environment = @Environment)
        AND (@CommitSha::text IS NULL OR i.commit_sha = @CommitSha)
        AND (@FilePath::text IS NULL OR i.file_path = @FilePath)
        AND (@Since::timestamptz IS NULL OR i.occurred_at >= @Since)
        """;

    // One row with NULL incident columns when the project exists but nothing matches; no row when
    // the repository is not the caller's. The cursor condition is written so that its first half
    // (occurred_at <= @CursorTime) is an index condition.
    internal const string ListIncidentsSql = $"""
        SELECT p.id AS ProjectKey, {IncidentRow.Columns}
        FROM projects p
        LEFT JOIN LATERAL (
          SELECT i.* FROM incidents i
          WHERE i.project_id = p.id AND {FilterSql}
            AND (@CursorTime::timestamptz IS NULL
                 OR (i.occurred_at <= @CursorTime AND (i.occurred_at < @CursorTime OR i.id < @CursorId)))
          ORDER BY i.occurred_at DESC, i.id DESC
          LIMIT @Limit
        ) i ON true
        WHERE p.repo_full_name = @Repository AND p.owner_id = @UserId
        ORDER BY i.occurred_at DESC, i.id DESC
        """;

    /// <summary>The caller's project for a repository: the groups list looks it up first (ownership).</summary>
    internal const string FindOwnedProjectSql = """
        SELECT id FROM projects WHERE repo_full_name = @Repository AND owner_id = @UserId
        """;

    // Given the caller's project id as a value (so the planner sees how many incidents this
    // project has: one project may hold a fifth of the table), in two steps, so that only narrow
    // columns are aggregated and only one page's rows are read whole: count the matching incidents
    // per fingerprint (an index-only scan of idx_incidents_project_status_fingerprint), keep the
    // page of groups (most recently seen first), then fetch each kept group's latest incident by
    // index. Incidents without a fingerprint (none made by ingest) are groups of one.
    internal const string ListGroupsSql = $"""
        WITH p AS (
          SELECT @ProjectId::uuid AS id
        ), counted AS (
          SELECT COALESCE(i.fingerprint, i.incident_id) AS fingerprint, count(*) AS count,
                 min(i.occurred_at) AS first_seen, max(i.occurred_at) AS last_seen,
                 array_agg(DISTINCT i.environment ORDER BY i.environment) AS environments
          FROM incidents i
          WHERE i.project_id = @ProjectId AND {FilterSql}
          GROUP BY 1
        ), page AS (
          SELECT * FROM counted c
          WHERE @CursorTime::timestamptz IS NULL OR c.last_seen < @CursorTime
             OR (c.last_seen = @CursorTime AND c.fingerprint < @CursorFingerprint)
          ORDER BY c.last_seen DESC, c.fingerprint DESC
          LIMIT @Limit
        )
        SELECT p.id AS ProjectKey, g.fingerprint AS Fingerprint, l.error_type AS ErrorType,
               l.error_message AS ErrorMessage, l.file_path AS FilePath, l.line_number AS LineNumber,
               l.column_number AS ColumnNumber, l.commit_sha AS CommitSha, g.environments AS Environments,
               g.count AS Count, g.first_seen AS FirstSeen, g.last_seen AS LastSeen, l.incident_id AS LatestIncidentId
        FROM p
        LEFT JOIN page g ON true
        LEFT JOIN LATERAL (
          (SELECT i.incident_id, i.error_type, i.error_message, i.file_path, i.line_number, i.column_number, i.commit_sha
           FROM incidents i
           WHERE i.project_id = p.id AND i.fingerprint = g.fingerprint AND {FilterSql}
           ORDER BY i.occurred_at DESC
           LIMIT 1)
          UNION ALL
          (SELECT i.incident_id, i.error_type, i.error_message, i.file_path, i.line_number, i.column_number, i.commit_sha
           FROM incidents i
           WHERE i.incident_id = g.fingerprint AND i.project_id = p.id AND i.fingerprint IS NULL)
          LIMIT 1
        ) l ON g.fingerprint IS NOT NULL
        ORDER BY g.last_seen DESC, g.fingerprint DESC
        """;

    internal const string GetIncidentSql = $"""
        SELECT {IncidentRow.Columns}
        FROM incidents i JOIN projects p ON p.id = i.project_id
        WHERE i.incident_id = @IncidentId AND p.owner_id = @UserId
        """;

    /// <summary>A page of the repository's incidents, or null when the repository is not the caller's.</summary>
    public async Task<IncidentPage?> ListAsync(Guid userId, string repository, IncidentListParameters filter, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<IncidentRow>(new CommandDefinition(
            ListIncidentsSql, Parameters(userId, repository, filter), cancellationToken: cancellationToken))).AsList();
        if (rows.Count == 0)
        {
            return null;
        }

        var incidents = rows.Where(row => row.IncidentId is not null).ToList();
        var next = incidents.Count == filter.Limit
            ? IncidentCursor.Encode(incidents[^1].OccurredAt, incidents[^1].Id.ToByteArray(bigEndian: true))
            : null;
        return new IncidentPage([.. incidents.Select(row => row.ToContract())], next);
    }

    /// <summary>A page of the repository's incident groups, or null when the repository is not the caller's.</summary>
    public async Task<IncidentGroupPage?> ListGroupsAsync(Guid userId, string repository, IncidentListParameters filter, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var projectId = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            FindOwnedProjectSql, new { UserId = userId, Repository = repository }, cancellationToken: cancellationToken));
        if (projectId is null)
        {
            return null;
        }

        var rows = (await connection.QueryAsync<IncidentGroupRow>(new CommandDefinition(
            ListGroupsSql, Parameters(userId, repository, filter, projectId), cancellationToken: cancellationToken))).AsList();

        var groups = rows.Where(row => row.Fingerprint is not null).ToList();
        var next = groups.Count == filter.Limit
            ? IncidentCursor.Encode(groups[^1].LastSeen, Encoding.UTF8.GetBytes(groups[^1].Fingerprint!))
            : null;
        return new IncidentGroupPage([.. groups.Select(row => row.ToContract())], next);
    }

    public async Task<Incident?> GetAsync(Guid userId, string incidentId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<IncidentRow>(new CommandDefinition(
            GetIncidentSql, new { UserId = userId, IncidentId = incidentId }, cancellationToken: cancellationToken));
        return row?.ToContract();
    }

    /// <summary>The Dapper parameters of both lists (also used by the EXPLAIN test).</summary>
    internal static object Parameters(Guid userId, string repository, IncidentListParameters filter, Guid? projectId = null) => new
    {
        UserId = userId,
        ProjectId = projectId,
        Repository = repository,
        filter.Status,
        filter.Environment,
        filter.CommitSha,
        filter.FilePath,
        filter.Since,
        filter.Limit,
        CursorTime = filter.Cursor?.Time,
        CursorId = filter.Cursor?.KeyAsGuid,
        CursorFingerprint = filter.Cursor is { } cursor ? Encoding.UTF8.GetString(cursor.Key) : null,
    };
}
