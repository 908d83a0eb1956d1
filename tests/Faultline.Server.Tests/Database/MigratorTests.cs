using Dapper;
using Faultline.Server.Database;
using Faultline.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Faultline.Server.Tests.Database;

public sealed class MigratorTests(TestPostgres postgres)
{
    private static Migrator MigratorFor(NpgsqlDataSource dataSource) => new(dataSource, NullLogger<Migrator>.Instance);

    [Fact]
    public async Task EveryMigration_UpDownUp_LeavesIdenticalSchema()
    {
        var connectionString = await postgres.CreateDatabaseAsync("updown");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var migrator = MigratorFor(dataSource);

        // Walk up one version at a time; at each step, down then up again must give the same schema.
        for (var version = 1; version <= Migrator.LatestVersion; version++)
        {
            await ApplyUpToAsync(dataSource, version);
            var afterUp = await SchemaSnapshot.ReadAsync(connectionString);

            var reverted = await migrator.DownAsync(version - 1, TestContext.Current.CancellationToken);
            Assert.Equal([version], reverted);
            var afterDown = await SchemaSnapshot.ReadAsync(connectionString);
            Assert.NotEqual(afterUp, afterDown);

            await ApplyUpToAsync(dataSource, version);
            Assert.Equal(SchemaSnapshot.Format(afterUp), SchemaSnapshot.Format(await SchemaSnapshot.ReadAsync(connectionString)));
        }

        // All the way down leaves nothing but the history table.
        await migrator.DownAsync(0, TestContext.Current.CancellationToken);
        Assert.Empty(await SchemaSnapshot.ReadAsync(connectionString));
    }

    [Fact]
    public async Task Up_OnEmptyDatabase_RecordsEveryMigrationWithChecksum()
    {
        var connectionString = await postgres.CreateDatabaseAsync("record");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var applied = await MigratorFor(dataSource).UpAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(1, Migrator.LatestVersion), applied);
        await using var connection = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        var rows = (await connection.QueryAsync<(int Version, string Name, string Checksum)>(
            "SELECT version, name, checksum FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(["create_users", "create_projects", "create_incidents", "create_api_key_usage"], rows.Take(4).Select(r => r.Name));
        Assert.All(rows, r => Assert.Equal(Migrator.All[r.Version - 1].Checksum, r.Checksum));
        Assert.Empty(await MigratorFor(dataSource).UpAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Up_WhenAppliedMigrationChanged_RefusesToRun()
    {
        var connectionString = await postgres.CreateDatabaseAsync("checksum");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await MigratorFor(dataSource).UpAsync(TestContext.Current.CancellationToken);
        await using (var connection = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken))
        {
            await connection.ExecuteAsync("UPDATE schema_migrations SET checksum = 'deadbeefdeadbeef' WHERE version = 2");
        }

        var error = await Assert.ThrowsAsync<MigrationException>(() => MigratorFor(dataSource).UpAsync(TestContext.Current.CancellationToken));
        Assert.Contains("002_create_projects was changed after it was applied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_WhenDatabaseIsNewerThanBuild_RefusesToRun()
    {
        var connectionString = await postgres.CreateDatabaseAsync("newer");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await MigratorFor(dataSource).UpAsync(TestContext.Current.CancellationToken);
        await using (var connection = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken))
        {
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, checksum) VALUES (999, 'from_the_future', 'x')");
        }

        var error = await Assert.ThrowsAsync<MigrationException>(() => MigratorFor(dataSource).UpAsync(TestContext.Current.CancellationToken));
        Assert.Contains("999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_FromSeveralMigratorsAtOnce_AppliesEachMigrationOnce()
    {
        var connectionString = await postgres.CreateDatabaseAsync("race");
        var dataSources = Enumerable.Range(0, 5).Select(_ => NpgsqlDataSource.Create(connectionString)).ToList();
        try
        {
            using var start = new ManualResetEventSlim();
            var runs = dataSources.Select(d => Task.Run(async () =>
            {
                start.Wait();
                return await MigratorFor(d).UpAsync(CancellationToken.None);
            })).ToList();
            start.Set();
            var results = await Task.WhenAll(runs);

            // Together they applied every migration exactly once, whoever won the lock.
            Assert.Equal(Enumerable.Range(1, Migrator.LatestVersion), results.SelectMany(r => r).Order());
            await using var connection = await dataSources[0].OpenConnectionAsync(TestContext.Current.CancellationToken);
            Assert.Equal(Migrator.LatestVersion, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM schema_migrations"));
        }
        finally
        {
            foreach (var dataSource in dataSources)
            {
                await dataSource.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Migrations_AreNumberedWithoutGapsAndEachHasDown()
    {
        Assert.Equal(Enumerable.Range(1, Migrator.All.Count), Migrator.All.Select(m => m.Version));
        Assert.All(Migrator.All, m => Assert.False(string.IsNullOrWhiteSpace(m.DownSql)));
        Assert.All(Migrator.All.Skip(4), m => Assert.StartsWith("--", m.UpSql.TrimStart(), StringComparison.Ordinal));
        await Task.CompletedTask;
    }

    /// <summary>Applies migrations up to <paramref name="version"/> by running up and reverting what lies above.</summary>
    internal static async Task ApplyUpToAsync(NpgsqlDataSource dataSource, int version)
    {
        var migrator = MigratorFor(dataSource);
        await migrator.UpAsync(CancellationToken.None);
        await migrator.DownAsync(version, CancellationToken.None);
    }
}
