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
    private static readonly TimeSpan FirstSuccessLimit = TimeSpan.FromSeconds(10);

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

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        await cluster.DisposeAsync();
    }

    [Fact]
    public async Task Ingest_WhilePostgresIsKilledFiveTimes_KeepsEveryAcknowledgedIncidentOnce()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = IngestLoad.CreateClient();
        using var load = new IngestLoad(client, project, _ => server.BaseAddress) { Clients = 32, MaxEventsPerClient = 3_000 };
        var began = Stopwatch.GetTimestamp();
        var running = load.RunAsync(TimeSpan.FromSeconds(75), cancellationToken);

        var failures = new List<string>();
        for (var kill = 1; kill <= Kills; kill++)
        {
            await Task.Delay(Random.Shared.Next(500, 2_500), cancellationToken);
            var killedAt = Stopwatch.GetTimestamp();
            await cluster.KillAsync();
            await Task.Delay(Random.Shared.Next(100, 1_500), cancellationToken);
            var restart = await cluster.RestartAsync(TimeSpan.FromSeconds(20));
            var restartedAt = Stopwatch.GetTimestamp();
            while (load.LastSuccessAt < restartedAt && Stopwatch.GetElapsedTime(restartedAt) < FirstSuccessLimit + TimeSpan.FromSeconds(1))
            {
                await Task.Delay(50, cancellationToken);
            }

            var outage = Stopwatch.GetElapsedTime(killedAt, restartedAt).TotalSeconds;
            var first = Promises.FirstSuccessAfter(load, restartedAt);
            Figures.Report(Scenario, $"kill {kill}", $"down {outage:F2} s (kill to restarted); first success {(first is { } s ? $"{s:F2} s" : "never")} after the restart ({restart})");
            if (first is null || first > FirstSuccessLimit.TotalSeconds)
            {
                failures.Add($"kill {kill}: no success within {FirstSuccessLimit.TotalSeconds} s of the restart");
            }
        }

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
