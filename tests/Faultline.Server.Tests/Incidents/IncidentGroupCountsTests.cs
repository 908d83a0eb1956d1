using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Faultline.Testing;
using Faultline.Testing.Incidents;
using Npgsql;

namespace Faultline.Server.Tests.Incidents;

/// <summary>
/// incident_group_counts (migration 017) must always equal counting the incidents themselves:
/// after inserts of every kind, resolves, reopens and group resolves, one at a time and racing.
/// </summary>
public sealed class IncidentGroupCountsTests(TestPostgres postgres) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 4, 5, 123, TimeSpan.Zero);
    private readonly FaultlineFactory factory = new(postgres.ConnectionString);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    [Fact]
    public async Task GroupsList_FromTheCounts_AnswersAsCountingTheIncidentsDoes_AfterEveryChange()
    {
        var account = await TestAccounts.SignInAsync(factory);
        var project = await TestData.CreateProjectAsync(postgres.ConnectionString, account.UserId);
        var client = account.CreateClient(factory);
        var cs = postgres.ConnectionString;
        var a1 = await TestIncidents.InsertAsync(cs, project.Id, Now.AddHours(-3), fingerprint: "fp-a", environment: "preview");
        var a2 = await TestIncidents.InsertAsync(cs, project.Id, Now.AddHours(-1), fingerprint: "fp-a");
        await TestIncidents.InsertAsync(cs, project.Id, Now.AddMinutes(-30), fingerprint: "fp-b", status: "resolved");
        var b2 = await TestIncidents.InsertAsync(cs, project.Id, Now.AddMinutes(-20), fingerprint: "fp-b");
        var lone = await TestIncidents.InsertAsync(cs, project.Id, Now.AddMinutes(-10), fingerprint: null);
        await TestIncidents.InsertManyAsync(cs, project.Id, 300, Now.AddDays(-1), openEvery: 3);

        async Task AssertSameAsCountingAsync(string step)
        {
            foreach (var query in (string[])["", "status=resolved", "status=all", "environment=preview", "status=all&environment=production", "limit=3"])
            {
                var url = $"/api/v1/repos/{project.RepositoryFullName}/incident-groups?{query}";
                // Any since filter makes the list count the incidents themselves; this one keeps them all.
                var fromCounts = await client.GetFromJsonAsync<JsonElement>(url, Cancel);
                var counted = await client.GetFromJsonAsync<JsonElement>(url + "&since=2000-01-01T00:00:00Z", Cancel);
                Assert.True(JsonElement.DeepEquals(counted.GetProperty("groups"), fromCounts.GetProperty("groups")), $"{step}, ?{query}:\ncounted: {counted}\nsummary: {fromCounts}");
            }

            await AssertTableMatchesIncidentsAsync();
        }

        await AssertSameAsCountingAsync("inserted");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.PostAsync($"/api/v1/incidents/{a2}/resolve", null, Cancel)).StatusCode);
        await AssertSameAsCountingAsync("latest of fp-a resolved");
        await client.PostAsync($"/api/v1/incidents/{lone}/resolve", null, Cancel);
        await AssertSameAsCountingAsync("the incident without a fingerprint resolved");
        await client.PostAsync($"/api/v1/incidents/{a2}/reopen", null, Cancel);
        await client.PostAsync($"/api/v1/incidents/{a1}/resolve", null, Cancel);
        await AssertSameAsCountingAsync("reopened, and the first of fp-a resolved");
        await client.PostAsync($"/api/v1/repos/{project.RepositoryFullName}/incident-groups/fp-b/resolve", null, Cancel);
        await client.PostAsync($"/api/v1/repos/{project.RepositoryFullName}/incident-groups/fp-3/resolve", null, Cancel);
        await AssertSameAsCountingAsync("groups resolved");
        await client.PostAsync($"/api/v1/incidents/{b2}/reopen", null, Cancel);
        await AssertSameAsCountingAsync("one of a resolved group reopened");
    }

    [Fact]
    public async Task Counts_WhileBatchesAreInsertedAndGroupsResolvedAndReopenedConcurrently_EqualCountingTheIncidents()
    {
        var project = await TestData.CreateProjectAsync(postgres.ConnectionString);
        var stop = DateTime.UtcNow.AddSeconds(4);
        var fingerprints = Enumerable.Range(0, 4).Select(n => $"fp-race-{n}").ToArray();

        async Task InsertBatchesAsync(int writer)
        {
            var random = new Random(writer);
            await using var connection = new NpgsqlConnection(postgres.ConnectionString);
            await connection.OpenAsync(Cancel);
            while (DateTime.UtcNow < stop)
            {
                // As ingest writes: one multi-row INSERT per transaction, several groups and environments.
                var rows = Enumerable.Range(0, 20).Select(_ => (
                    Fingerprint: fingerprints[random.Next(fingerprints.Length)],
                    Environment: random.Next(3) == 0 ? "preview" : "production",
                    OccurredAt: Now.AddSeconds(-random.Next(100_000)))).ToList();
                await connection.ExecuteAsync(
                    """
                    INSERT INTO incidents (incident_id, project_id, error_message, commit_sha, environment, occurred_at, fingerprint, event_id)
                    SELECT 'inc_' || upper(substr(md5(random()::text), 1, 26)), @Project, 'race', @Commit, e, o, f, gen_random_uuid()
                    FROM unnest(@Fingerprints, @Environments, @OccurredAt) AS t(f, e, o)
                    ON CONFLICT (project_id, event_id) DO NOTHING
                    """,
                    new
                    {
                        Project = project.Id,
                        Commit = TestIncidents.CommitSha,
                        Fingerprints = rows.Select(r => r.Fingerprint).ToArray(),
                        Environments = rows.Select(r => r.Environment).ToArray(),
                        OccurredAt = rows.Select(r => r.OccurredAt).ToArray(),
                    });
            }
        }

        async Task ResolveAndReopenAsync(int worker)
        {
            var random = new Random(100 + worker);
            await using var connection = new NpgsqlConnection(postgres.ConnectionString);
            await connection.OpenAsync(Cancel);
            while (DateTime.UtcNow < stop)
            {
                var fingerprint = fingerprints[random.Next(fingerprints.Length)];
                // Rows are locked in one order (by id), so that the two workers' updates of one group never deadlock.
                var sql = random.Next(2) == 0
                    ? "UPDATE incidents SET status = 'resolved', resolved_at = now() WHERE id IN (SELECT id FROM incidents WHERE project_id = @Project AND fingerprint = @Fingerprint AND status = 'open' ORDER BY id FOR UPDATE)"
                    : "UPDATE incidents SET status = 'open', resolved_at = NULL WHERE id IN (SELECT id FROM incidents WHERE project_id = @Project AND fingerprint = @Fingerprint AND status = 'resolved' ORDER BY id LIMIT 5 FOR UPDATE)";
                await connection.ExecuteAsync(sql, new { Project = project.Id, Fingerprint = fingerprint });
            }
        }

        await Task.WhenAll(InsertBatchesAsync(1), InsertBatchesAsync(2), InsertBatchesAsync(3), ResolveAndReopenAsync(1), ResolveAndReopenAsync(2));

        await AssertTableMatchesIncidentsAsync();
        await using var check = new NpgsqlConnection(postgres.ConnectionString);
        Assert.True(await check.ExecuteScalarAsync<long>("SELECT count(*) FROM incidents WHERE project_id = @Id", new { project.Id }) > 100);
    }

    [Fact]
    public async Task Counts_AfterOneStatementAcrossManyProjectsAndGroups_EqualCountingTheIncidents()
    {
        // A bulk load: one statement over 120 projects and 20,000 groups (one lock for all of it,
        // not one per project or group, which would overflow PostgreSQL's lock table).
        var projects = new List<Guid>();
        for (var i = 0; i < 120; i++)
        {
            projects.Add((await TestData.CreateProjectAsync(postgres.ConnectionString)).Id);
        }

        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        var inserted = await connection.ExecuteAsync(
            """
            INSERT INTO incidents (incident_id, project_id, error_message, commit_sha, environment, status, occurred_at, fingerprint)
            SELECT 'inc_' || upper(substr(md5(random()::text || n), 1, 26)), (@Projects::uuid[])[1 + n % 120], 'bulk', @Commit,
                   CASE WHEN n % 3 = 0 THEN 'preview' ELSE 'production' END, CASE WHEN n % 4 = 0 THEN 'open' ELSE 'resolved' END,
                   @Now - n * interval '1 second', 'fp-bulk-' || (n % 20000)
            FROM generate_series(0, 39999) AS n
            """,
            new { Projects = projects.ToArray(), Commit = TestIncidents.CommitSha, Now },
            commandTimeout: 300);

        Assert.Equal(40_000, inserted);
        await AssertTableMatchesIncidentsAsync();
    }

    [Fact]
    public async Task DashboardNumbers_FromTheCounts_EqualCountingTheIncidents()
    {
        var project = await TestData.CreateProjectAsync(postgres.ConnectionString);
        var cs = postgres.ConnectionString;
        await TestIncidents.InsertManyAsync(cs, project.Id, 250, Now, openEvery: 4);
        var resolvedNow = await TestIncidents.InsertAsync(cs, project.Id, Now.AddSeconds(1), fingerprint: "fp-dash");
        await TestIncidents.InsertAsync(cs, project.Id, Now.AddSeconds(-5), fingerprint: null, environment: "preview");
        await using (var update = new NpgsqlConnection(cs))
        {
            await update.ExecuteAsync("UPDATE incidents SET status = 'resolved', resolved_at = now() WHERE incident_id = @resolvedNow", new { resolvedNow });
        }

        await using var source = Faultline.Server.Database.DatabaseExtensions.CreateDataSource(cs);
        var dashboard = new Faultline.Server.Dashboard.DashboardQueries(source, TimeProvider.System);
        var summary = (await dashboard.ListProjectSummariesAsync(project.OwnerId, Cancel)).Single();
        var stats = await dashboard.GetProjectStatsAsync(project.OwnerId, project.ProjectId, Cancel);

        await using var connection = new NpgsqlConnection(cs);
        var counted = await connection.QuerySingleAsync<(long Open, long Resolved, DateTime Last)>(
            "SELECT count(*) FILTER (WHERE status = 'open'), count(*) FILTER (WHERE status = 'resolved'), max(occurred_at) FROM incidents WHERE project_id = @Id",
            new { project.Id });
        Assert.Equal((counted.Open, counted.Resolved), (stats!.OpenCount, stats.ResolvedCount));
        Assert.Equal(counted.Open, summary.OpenCount);
        Assert.Equal(new DateTimeOffset(DateTime.SpecifyKind(counted.Last, DateTimeKind.Utc)), summary.LastIncidentAt);
    }

    private async Task AssertTableMatchesIncidentsAsync()
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        var mismatches = (await connection.QueryAsync<string>(
            """
            WITH counted AS (
              SELECT project_id, status, COALESCE(fingerprint, incident_id) AS fingerprint, environment,
                     count(*) AS incident_count, min(occurred_at) AS first_seen, max(occurred_at) AS last_seen
              FROM incidents GROUP BY 1, 2, 3, 4
            ), kept AS (
              SELECT project_id, status, fingerprint, environment, incident_count, first_seen, last_seen FROM incident_group_counts
            )
            SELECT 'missing ' || row_to_json(x)::text FROM (SELECT * FROM counted EXCEPT SELECT * FROM kept) x
            UNION ALL
            SELECT 'extra ' || row_to_json(x)::text FROM (SELECT * FROM kept EXCEPT SELECT * FROM counted) x
            """)).ToList();
        Assert.Empty(mismatches);
    }
}
