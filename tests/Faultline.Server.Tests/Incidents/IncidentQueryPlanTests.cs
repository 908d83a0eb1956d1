using Dapper;
using Faultline.Server.Database;
using Faultline.Server.Incidents;
using Faultline.Testing;
using Faultline.Testing.Incidents;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Faultline.Server.Tests.Incidents;

/// <summary>
/// The list query reads a big project's open incidents through
/// <c>idx_incidents_project_status_occurred</c>, in its order (nothing sorted): 50,000 rows in one
/// project, 98% resolved, in a database of its own so that the statistics are this table's.
/// </summary>
public sealed class IncidentQueryPlanTests(TestPostgres postgres)
{
    [Fact]
    public async Task ListBatch_OnBigProjectMostlyResolved_ReadsProjectStatusOccurredIndexInOrder()
    {
        var connectionString = await postgres.CreateDatabaseAsync("plan");
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new Migrator(dataSource, NullLogger<Migrator>.Instance).UpAsync(TestContext.Current.CancellationToken);
        }

        var project = await TestData.CreateProjectAsync(connectionString);
        var small = await TestData.CreateProjectAsync(connectionString);
        var newest = DateTimeOffset.UtcNow;
        await TestIncidents.InsertManyAsync(connectionString, project.Id, 50_000, newest, openEvery: 50);
        await TestIncidents.InsertManyAsync(connectionString, small.Id, 500, newest);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await connection.ExecuteAsync("ANALYZE incidents; ANALYZE projects;");

        var firstPage = new IncidentListParameters("open", null, null, null, null, 50, null);
        var deepPage = firstPage with { Cursor = new IncidentCursor(newest.AddHours(-5), Guid.Empty.ToByteArray()) };
        var filters = new[] { firstPage, deepPage, firstPage with { Environment = "production" }, firstPage with { Since = newest.AddDays(-1) } };
        // The plan made for these values, and the generic one a prepared statement keeps after five runs.
        foreach (var (filter, columns, planMode) in
            from filter in filters
            from columns in new[] { IncidentRow.ListColumns, IncidentRow.VersionColumns }
            from planMode in new[] { "force_custom_plan", "force_generic_plan" }
            select (filter, columns, planMode))
        {
            await connection.ExecuteAsync($"SET plan_cache_mode = {planMode}");
            var plan = await ExplainAsync(connection, project, filter, columns);

            Assert.Contains("Index Scan using idx_incidents_project_status_occurred", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("Sort", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("Seq Scan on incidents", plan, StringComparison.Ordinal);
        }

        // The control: without the index the planner picks another way, so the assertions above can fail.
        await connection.ExecuteAsync("RESET plan_cache_mode");
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await connection.ExecuteAsync("DROP INDEX idx_incidents_project_status_occurred", transaction: transaction);
        var without = await ExplainAsync(connection, project, firstPage, IncidentRow.ListColumns, transaction);
        Assert.DoesNotContain("idx_incidents_project_status_occurred", without, StringComparison.Ordinal);
        Assert.Contains("Sort", without, StringComparison.Ordinal);
        await transaction.RollbackAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The plan of the list batch's page statement (its second), with the values it is sent with.</summary>
    private static async Task<string> ExplainAsync(
        NpgsqlConnection connection, TestProject project, IncidentListParameters filter, string columns, NpgsqlTransaction? transaction = null)
    {
        await using var batch = IncidentQueries.ListBatch(project.OwnerId, project.RepositoryFullName, filter, columns);
        var page = batch.BatchCommands[1];
        await using var explain = new NpgsqlCommand("EXPLAIN " + page.CommandText, connection, transaction);
        foreach (NpgsqlParameter parameter in page.Parameters)
        {
            explain.Parameters.Add(parameter.Clone());
        }

        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
