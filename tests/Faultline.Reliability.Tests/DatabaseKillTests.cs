using System.Diagnostics;
using Faultline.Reliability.Tests.Support;
using Faultline.Testing;
using Npgsql;

namespace Faultline.Reliability.Tests;

/// <summary>
/// Issue 9, scenario 1: 32 clients send incidents while PostgreSQL is SIGKILLed and restarted five
/// times. Nothing acknowledged is lost or doubled, the outage is answered 503 + Retry-After, and
/// ingest succeeds again within 10 s of each restart.
/// </summary>
public sealed class DatabaseKillTests : IAsyncLifetime
{
    private const string Scenario = "database-killed";
    private const int Kills = 5;

    private KillableCluster cluster = null!;
    private ServerProcess server = null!;
    private TestProject project = null!;

    public async ValueTask InitializeAsync()
    {
        cluster = await KillableCluster.StartAsync();
        server = await ServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Faultline"] = cluster.ConnectionString,
            ["Faultline:Ingest:RateLimitPerSecond"] = "0",
        });
        project = await TestData.CreateProjectAsync(cluster.ConnectionString);
    }

    /// <summary>Null-safe: when InitializeAsync failed half-way, the cluster must still be stopped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Ingest_WhilePostgresIsKilledFiveTimes_KeepsEveryAcknowledgedIncidentOnce()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = IngestLoad.CreateClient();
        using var load = new IngestLoad(client, project, _ => server.BaseAddress) { Clients = 32, MaxEventsPerClient = 3_000 };
        var began = Stopwatch.GetTimestamp();
        var running = load.RunAsync(TimeSpan.FromSeconds(60), cancellationToken);

        var failures = await Faults.KillAndRestartAsync(
            Scenario, load, Kills, cluster.KillAsync, async () => await cluster.RestartAsync(TimeSpan.FromSeconds(20)), target: null, cancellationToken);

        await Task.Delay(2_000, cancellationToken);
        load.StopStarting(settleFor: TimeSpan.FromSeconds(10));
        await running;
        var duration = Stopwatch.GetElapsedTime(began);

        Assert.False(server.HasExited, "the server process died:\n" + server.Output);
        NpgsqlConnection.ClearAllPools();
        failures.AddRange(await Promises.CheckAsync(Scenario, load, cluster.ConnectionString, project, duration));
        var serverErrors = ServerLog.Errors(server.Output);
        Figures.Report(Scenario, "server log errors (fail/crit)", $"{serverErrors.Count}");
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + string.Join("\n", serverErrors.Take(20)));
    }
}
