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
/// <c>idx_incidents_project_status_occurred</c>: 50,000 rows in one project, 98% resolved, in a
/// database of its own so that the statistics are this table's.
/// </summary>
public sealed class IncidentQueryPlanTests(TestPostgres postgres)
{
    [Fact]
    public async Task ListIncidentsSql_OnBigProjectMostlyResolved_UsesProjectStatusOccurredIndex()
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
        foreach (var filter in new[] { firstPage, deepPage, firstPage with { Environment = "production" } })
        {
            var plan = await ExplainAsync(connection, project, filter);

            Assert.True(plan.Contains("Index Scan using idx_incidents_project_status_occurred", StringComparison.Ordinal), plan);
            Assert.False(plan.Contains("Seq Scan on incidents", StringComparison.Ordinal), plan);
        }

        // The control: without the index the planner picks another way, so the assertion above can fail.
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await connection.ExecuteAsync("DROP INDEX idx_incidents_project_status_occurred", transaction: transaction);
        var without = await ExplainAsync(connection, project, firstPage, transaction);
        Assert.True(without.Contains("idx_incidents_occurred_at", StringComparison.Ordinal) || without.Contains("idx_incidents_project_id", StringComparison.Ordinal), without);
        await transaction.RollbackAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<string> ExplainAsync(NpgsqlConnection connection, TestProject project, IncidentListParameters filter, NpgsqlTransaction? transaction = null) =>
        string.Join('\n', await connection.QueryAsync<string>(
            "EXPLAIN " + IncidentQueries.ListIncidentsSql(filter), IncidentQueries.Parameters(project.OwnerId, project.RepositoryFullName, filter), transaction));
}
