using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Faultline.Reliability.Tests.Support;
using Faultline.Server.Database;
using Faultline.Testing;
using Npgsql;

namespace Faultline.Reliability.Tests;

/// <summary>
/// Issue 9, scenario 5: five servers started together on an empty database. The advisory lock
/// lets one of them migrate: each migration is applied once, no server logs an error, all are ready.
/// </summary>
public sealed partial class StartupRaceTests(TestPostgres postgres) : IAsyncLifetime
{
    private const string Scenario = "startup-race";
    private const int Servers = 5;

    private string connectionString = null!;
    private readonly List<ServerProcess> servers = [];

    public async ValueTask InitializeAsync() => connectionString = await postgres.CreateDatabaseAsync("race");

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(servers.Select(s => s.DisposeAsync().AsTask()));
        await Stored.DropDatabaseAsync(connectionString);
    }

    [Fact]
    public async Task FiveServersStartedTogether_OnAnEmptyDatabase_MigrateOnce_AndAreAllReady()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Faultline"] = connectionString };
        var began = Stopwatch.GetTimestamp();
        var starting = Enumerable.Range(0, Servers).Select(_ => ServerProcess.StartAsync(settings, timeout: TimeSpan.FromSeconds(90))).ToList();
        try
        {
            await Task.WhenAll(starting);
        }
        finally
        {
            servers.AddRange(starting.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
        }

        using var client = IngestLoad.CreateClient();
        var ready = 0;
        foreach (var server in servers)
        {
            ready += await WaitReadyAsync(client, server, cancellationToken) ? 1 : 0;
        }

        var allReady = Stopwatch.GetElapsedTime(began);
        await using var connection = new NpgsqlConnection(connectionString);
        var versions = (await connection.QueryAsync<(int Version, long Count)>(
            "SELECT version, count(*) FROM schema_migrations GROUP BY version ORDER BY version")).ToList();
        var applied = servers.Select(s => AppliedLine().Matches(s.Output).Count).ToList();
        var errors = servers.SelectMany(s => ServerLog.Errors(s.Output)).ToList();

        Figures.Report(Scenario, "servers ready", $"{ready} of {Servers}, all within {allReady.TotalSeconds:F1} s of the start");
        Figures.Report(Scenario, "migrations recorded", $"{versions.Count} of {Migrator.All.Count}; recorded more than once: {versions.Count(v => v.Count > 1)}");
        Figures.Report(Scenario, "migrations applied per server", $"{string.Join(", ", applied)} (total {applied.Sum()})");
        Figures.Report(Scenario, "server log errors (fail/crit)", $"{errors.Count}");

        Assert.Equal(Servers, ready);
        Assert.Equal(Migrator.All.Select(m => m.Version), versions.Select(v => v.Version));
        Assert.All(versions, v => Assert.Equal(1, v.Count));
        Assert.Equal(Migrator.All.Count, applied.Sum());
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static async Task<bool> WaitReadyAsync(HttpClient client, ServerProcess server, CancellationToken cancellationToken)
    {
        for (var deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency; Stopwatch.GetTimestamp() < deadline;)
        {
            using var response = await client.GetAsync(new Uri(server.BaseAddress, "/readyz"), cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return true;
            }

            await Task.Delay(200, cancellationToken);
        }

        return false;
    }

    [GeneratedRegex("Applied migration [0-9]{3}_")]
    private static partial Regex AppliedLine();
}
