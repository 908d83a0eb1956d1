using System.Globalization;
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
    /// <summary>
    /// The conditions of the filters that are set, on <c>incidents i</c>. Only those, so that each
    /// combination is its own statement: prepared once per connection, its generic plan uses the
    /// indexes without being re-planned for every request (a condition such as
    /// <c>(@Environment IS NULL OR …)</c> would need a fresh plan each time to be folded away).
    /// <paramref name="placeholder"/> names a value's parameter in the text (Dapper's <c>@Name</c> by default).
    /// </summary>
    internal static string FilterSql(IncidentListParameters filter, bool statusAsLiteral = false, Func<string, object, string>? placeholder = null)
    {
        placeholder ??= static (name, _) => "@" + name;
        var sql = new StringBuilder();
        if (filter.Status != IncidentStatus.All)
        {
            // A literal only for the validated values (open, resolved), never for text from a request.
            sql.Append(statusAsLiteral
                ? (filter.Status == IncidentStatus.Open ? " AND i.status = 'open'" : " AND i.status = 'resolved'")
                : " AND i.status = " + placeholder(nameof(filter.Status), filter.Status));
        }

        if (filter.Environment is not null)
        {
            sql.Append(" AND i.environment = ").Append(placeholder(nameof(filter.Environment), filter.Environment));
        }

        if (filter.CommitSha is not null)
        {
            sql.Append(" AND i.commit_sha = ").Append(placeholder(nameof(filter.CommitSha), filter.CommitSha));
        }

        if (filter.FilePath is not null)
        {
            sql.Append(" AND i.file_path = ").Append(placeholder(nameof(filter.FilePath), filter.FilePath));
        }

        if (filter.Since is { } since)
        {
            sql.Append(" AND i.occurred_at >= ").Append(placeholder(nameof(filter.Since), since));
        }

        return sql.ToString();
    }

    /// <summary>The caller's project for the repository, in both statements of a list batch: $1 the repository, $2 the caller.</summary>
    private const string OwnedProjectCondition = "p.repo_full_name = $1 AND p.owner_id = $2";

    /// <summary>The caller's project for a repository, its row id and public id; no row when it is not the caller's.</summary>
    internal const string OwnedProjectListSql = $"SELECT p.id, p.project_id FROM projects p WHERE {OwnedProjectCondition}";

    /// <summary>
    /// A list request as one round trip of two statements: the caller's project
    /// (<see cref="OwnedProjectListSql"/>: no row, and the answer is 404; else its public id for
    /// every incident), then the page of its incidents with <paramref name="columns"/>, ownership
    /// again inside the query. The page is <c>idx_incidents_project_status_occurred</c>'s order
    /// (migration 019: occurred_at DESC, id DESC), read newest first and stopped at the limit, with
    /// nothing sorted; the cursor's first half (occurred_at &lt;= the cursor's) is an index
    /// condition. Positional parameters, so that Npgsql sends the text without parsing it for names.
    /// </summary>
    internal static NpgsqlBatch ListBatch(Guid userId, string repository, IncidentListParameters filter, string columns)
    {
        static NpgsqlBatchCommand Owned(string sql, Guid userId, string repository) => new(sql)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = repository }, new NpgsqlParameter<Guid> { TypedValue = userId } },
        };

        var batch = new NpgsqlBatch();
        batch.BatchCommands.Add(Owned(OwnedProjectListSql, userId, repository));
        var page = Owned("", userId, repository);
        string Placeholder(object value)
        {
            page.Parameters.Add(value switch
            {
                string text => new NpgsqlParameter<string> { TypedValue = text },
                Guid guid => new NpgsqlParameter<Guid> { TypedValue = guid },
                int number => new NpgsqlParameter<int> { TypedValue = number },
                DateTimeOffset time => new NpgsqlParameter<DateTimeOffset> { TypedValue = time.ToUniversalTime() },
                _ => throw new ArgumentOutOfRangeException(nameof(value), value.GetType().Name, "No parameter type for this value."),
            });
            return "$" + page.Parameters.Count.ToString(CultureInfo.InvariantCulture);
        }

        var sql = new StringBuilder()
            .Append("SELECT ").Append(columns)
            .Append($" FROM incidents i WHERE i.project_id = (SELECT p.id FROM projects p WHERE {OwnedProjectCondition})")
            .Append(FilterSql(filter, placeholder: (_, value) => Placeholder(value)));
        if (filter.Cursor is { } cursor)
        {
            var time = Placeholder(cursor.Time);
            // A cursor whose key is not an id matches nothing (as i.id < NULL does).
            var id = cursor.KeyAsGuid is { } key ? Placeholder(key) : "NULL::uuid";
            sql.Append($" AND i.occurred_at <= {time} AND (i.occurred_at < {time} OR i.id < {id})");
        }

        sql.Append(" ORDER BY i.occurred_at DESC, i.id DESC LIMIT ").Append(Placeholder(filter.Limit));
        page.CommandText = sql.ToString();
        batch.BatchCommands.Add(page);
        return batch;
    }

    /// <summary>The caller's project for a repository: the groups list looks it up first (ownership).</summary>
    internal const string FindOwnedProjectSql = """
        SELECT id FROM projects WHERE repo_full_name = @Repository AND owner_id = @UserId
        """;

    // Given the caller's project id, in two steps, so that only one page's rows are read whole:
    // the groups with their counts (/*counted*/, below), the page of them (most recently seen
    // first), then each kept group's latest incident by index. Incidents without a fingerprint
    // (none made by ingest) are groups of one, named by their incident id.
    private const string ListGroupsTemplate = """
        WITH p AS (
          SELECT '/*project*/'::uuid AS id
        ), counted AS (
          /*counted*/
        ), page AS (
          SELECT * FROM counted c
          /*cursor*/
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
           WHERE i.project_id = p.id AND i.fingerprint = g.fingerprint /*filter*/
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

    // A status and an environment are all that incident_group_counts (migration 017) is kept by:
    // the groups add up a few rows per fingerprint, however many incidents they hold.
    private const string CountedFromSummarySql = """
        SELECT g.fingerprint, sum(g.incident_count)::bigint AS count,
                 min(g.first_seen) AS first_seen, max(g.last_seen) AS last_seen,
                 array_agg(DISTINCT g.environment ORDER BY g.environment) AS environments
          FROM incident_group_counts g
          WHERE g.project_id = '/*project*/'::uuid /*summaryfilter*/
          GROUP BY g.fingerprint
        """;

    // Any other filter (commit, file, since) counts the matching incidents themselves: an
    // index-only scan of idx_incidents_project_status_fingerprint, grouped in the index's order.
    private const string CountedFromIncidentsSql = """
        SELECT i.fingerprint, count(*) AS count,
                 min(i.occurred_at) AS first_seen, max(i.occurred_at) AS last_seen,
                 array_agg(DISTINCT i.environment ORDER BY i.environment) AS environments
          FROM incidents i
          WHERE i.project_id = '/*project*/'::uuid /*filter*/ AND i.fingerprint IS NOT NULL
          GROUP BY i.fingerprint
          UNION ALL
          SELECT i.incident_id, 1, i.occurred_at, i.occurred_at, ARRAY[i.environment]
          FROM incidents i
          WHERE i.project_id = '/*project*/'::uuid /*filter*/ AND i.fingerprint IS NULL
        """;

    /// <summary>
    /// The groups statement for this filter and project. The project id (read from the database,
    /// never from the request) and the status are literals: a plan made for an average project
    /// (1,000 incidents) is a disaster for one holding 200,000, and statements are prepared and
    /// reused, so the planner must see the project to count its incidents right.
    /// </summary>
    internal static string ListGroupsSql(IncidentListParameters filter, Guid projectId)
    {
        var fromSummary = filter is { CommitSha: null, FilePath: null, Since: null };
        var summaryFilter = (filter.Status == IncidentStatus.All ? "" : $" AND g.status = '{(filter.Status == IncidentStatus.Open ? IncidentStatus.Open : IncidentStatus.Resolved)}'")
            + (filter.Environment is null ? "" : " AND g.environment = @Environment");
        return ListGroupsTemplate
            .Replace("/*counted*/", fromSummary ? CountedFromSummarySql : CountedFromIncidentsSql, StringComparison.Ordinal)
            .Replace("/*summaryfilter*/", summaryFilter, StringComparison.Ordinal)
            .Replace("/*project*/", projectId.ToString("D"), StringComparison.Ordinal)
            .Replace("/*filter*/", FilterSql(filter, statusAsLiteral: true), StringComparison.Ordinal)
            .Replace("/*cursor*/", filter.Cursor is null ? "" : "WHERE c.last_seen < @CursorTime OR (c.last_seen = @CursorTime AND c.fingerprint < @CursorFingerprint)", StringComparison.Ordinal);
    }

    internal const string GetIncidentSql = $"""
        SELECT {IncidentRow.Columns}
        FROM incidents i JOIN projects p ON p.id = i.project_id
        WHERE i.incident_id = @IncidentId AND p.owner_id = @UserId
        """;

    /// <summary>A page of the repository's incidents, or null when the repository is not the caller's.</summary>
    public async Task<IncidentPage?> ListAsync(Guid userId, string repository, IncidentListParameters filter, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var batch = ListBatch(userId, repository, filter, IncidentRow.ListColumns);
        batch.Connection = connection;
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var projectId = reader.GetString(1);
        await reader.NextResultAsync(cancellationToken);
        var incidents = new List<Incident>(filter.Limit);
        var parse = reader.GetRowParser<IncidentRow>();
        IncidentRow? last = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            last = parse(reader);
            incidents.Add(last.ToContract(projectId));
        }

        return new IncidentPage(incidents, incidents.Count == filter.Limit && last is not null ? NextCursor(last.OccurredAt, last.Id) : null);
    }

    /// <summary>A page of the repository's incidents as read, or null when the repository is not the caller's.</summary>
    public async Task<IncidentRowPage?> ListRowsAsync(Guid userId, string repository, IncidentListParameters filter, CancellationToken cancellationToken)
    {
        if (await ReadPageAsync(IncidentRow.ListColumns, userId, repository, filter, cancellationToken) is not { } rows)
        {
            return null;
        }

        var next = rows.Count == filter.Limit ? NextCursor(rows[^1].OccurredAt, rows[^1].Id) : null;
        return new IncidentRowPage(rows, next, IncidentPageTag.Compute(rows, filter));
    }

    /// <summary>The tag the page would have now, reading only row ids and statuses; null when the repository is not the caller's.</summary>
    public async Task<string?> ListTagAsync(Guid userId, string repository, IncidentListParameters filter, CancellationToken cancellationToken)
    {
        using var rows = await ReadPageAsync(IncidentRow.VersionColumns, userId, repository, filter, cancellationToken);
        return rows is null ? null : IncidentPageTag.Compute(rows, filter);
    }

    private async Task<IncidentPageBuffer?> ReadPageAsync(string columns, Guid userId, string repository, IncidentListParameters filter, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var batch = ListBatch(userId, repository, filter, columns);
        batch.Connection = connection;
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await IncidentPageBuffer.ReadAsync(reader, cancellationToken);
    }

    private static string NextCursor(DateTime occurredAt, Guid id) => IncidentCursor.Encode(occurredAt, id.ToByteArray(bigEndian: true));

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
            ListGroupsSql(filter, projectId.Value), Parameters(userId, repository, filter), cancellationToken: cancellationToken))).AsList();

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
    internal static object Parameters(Guid userId, string repository, IncidentListParameters filter) => new
    {
        UserId = userId,
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
