using Dapper;
using Npgsql;

namespace Faultline.Server.Dashboard;

/// <summary>One row of the projects list: the project and what the list shows about it.</summary>
public sealed record ProjectSummary(
    string ProjectId, string RepoFullName, long OpenCount, DateTimeOffset? LastIncidentAt, DateTimeOffset? KeyLastUsedAt);

/// <summary>A project page's numbers: open and resolved counts, median time to resolve, incidents per hour.</summary>
public sealed record ProjectStats(long OpenCount, long ResolvedCount, TimeSpan? MedianTimeToResolve, HourlyCounts Hourly);

/// <summary>Incidents per hour: <see cref="Counts"/>[i] is the hour starting at <see cref="Start"/> + i hours.</summary>
public sealed record HourlyCounts(DateTimeOffset Start, IReadOnlyList<long> Counts);

/// <summary>
/// The dashboard's own numbers (counts, the chart's buckets, the median time to resolve). Projects,
/// incidents and usage themselves are read with <c>ProjectQueries</c> and <c>IncidentQueries</c>.
/// Ownership is part of every query, as everywhere.
/// </summary>
internal sealed class DashboardQueries(NpgsqlDataSource db, TimeProvider time)
{
    public const int ChartHours = 7 * 24;
    public const int MedianWindowDays = 30;

    private const string ListProjectSummariesSql = """
        SELECT p.project_id AS ProjectId, p.repo_full_name AS RepoFullName,
               (SELECT COALESCE(sum(g.incident_count), 0) FROM incident_group_counts g WHERE g.project_id = p.id AND g.status = 'open')::bigint AS OpenCount,
               (SELECT max(g.last_seen) FROM incident_group_counts g WHERE g.project_id = p.id) AS LastIncidentAt,
               (SELECT max(u.last_used_at) FROM api_key_usage u WHERE u.project_id = p.id AND u.usage_count > 0) AS KeyLastUsedAt
        FROM projects p
        WHERE p.owner_id = @UserId
        ORDER BY lower(p.repo_full_name)
        """;

    // The counts add up incident_group_counts (a few rows per group, kept exact by triggers); the
    // median covers incidents of the last MedianWindowDays days, so a project's long history does
    // not make its page slow.
    private const string ProjectCountsSql = """
        SELECT (SELECT COALESCE(sum(g.incident_count), 0) FROM incident_group_counts g WHERE g.project_id = p.id AND g.status = 'open')::bigint AS OpenCount,
               (SELECT COALESCE(sum(g.incident_count), 0) FROM incident_group_counts g WHERE g.project_id = p.id AND g.status = 'resolved')::bigint AS ResolvedCount,
               (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM greatest(i.resolved_at - i.occurred_at, interval '0')))
                FROM incidents i
                WHERE i.project_id = p.id AND i.status = 'resolved' AND i.resolved_at IS NOT NULL AND i.occurred_at >= @MedianFrom
               ) AS MedianSeconds
        FROM projects p
        WHERE p.project_id = @ProjectId AND p.owner_id = @UserId
        """;

    // date_bin aligns buckets to @From (a whole hour in UTC), whatever the session's time zone.
    private const string HourlyCountsSql = """
        SELECT date_bin('1 hour', i.occurred_at, @From) AS Hour, count(*) AS Count
        FROM incidents i JOIN projects p ON p.id = i.project_id
        WHERE p.project_id = @ProjectId AND p.owner_id = @UserId
          AND i.status IN ('open', 'resolved') AND i.occurred_at >= @From AND i.occurred_at < @To
        GROUP BY 1
        """;

    public async Task<IReadOnlyList<ProjectSummary>> ListProjectSummariesAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SummaryRow>(new CommandDefinition(
            ListProjectSummariesSql, new { UserId = userId }, cancellationToken: cancellationToken));
        return [.. rows.Select(row => new ProjectSummary(row.ProjectId, row.RepoFullName, row.OpenCount, Utc(row.LastIncidentAt), Utc(row.KeyLastUsedAt)))];
    }

    /// <summary>The project's numbers, or null when the caller has no such project.</summary>
    public async Task<ProjectStats?> GetProjectStatsAsync(Guid userId, string projectId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var to = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
        var from = to.AddHours(-ChartHours);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var counts = await connection.QuerySingleOrDefaultAsync<CountsRow>(new CommandDefinition(
            ProjectCountsSql, new { UserId = userId, ProjectId = projectId, MedianFrom = now.AddDays(-MedianWindowDays) },
            cancellationToken: cancellationToken));
        if (counts is null)
        {
            return null;
        }

        var buckets = new long[ChartHours];
        var rows = await connection.QueryAsync<HourRow>(new CommandDefinition(
            HourlyCountsSql, new { UserId = userId, ProjectId = projectId, From = from, To = to }, cancellationToken: cancellationToken));
        foreach (var row in rows)
        {
            var index = (int)((Utc(row.Hour)!.Value - from).TotalHours);
            if (index is >= 0 and < ChartHours)
            {
                buckets[index] += row.Count;
            }
        }

        var median = counts.MedianSeconds is { } seconds ? TimeSpan.FromSeconds(Math.Round(seconds)) : (TimeSpan?)null;
        return new ProjectStats(counts.OpenCount, counts.ResolvedCount, median, new HourlyCounts(from, buckets));
    }

    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    private sealed class SummaryRow
    {
        public string ProjectId { get; init; } = "";
        public string RepoFullName { get; init; } = "";
        public long OpenCount { get; init; }
        public DateTime? LastIncidentAt { get; init; }
        public DateTime? KeyLastUsedAt { get; init; }
    }

    private sealed class CountsRow
    {
        public long OpenCount { get; init; }
        public long ResolvedCount { get; init; }
        public double? MedianSeconds { get; init; }
    }

    private sealed class HourRow
    {
        public DateTime Hour { get; init; }
        public long Count { get; init; }
    }
}
