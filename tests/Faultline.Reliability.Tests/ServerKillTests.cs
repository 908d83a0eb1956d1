using System.Diagnostics;
using Faultline.Reliability.Tests.Support;
using Faultline.Testing;

namespace Faultline.Reliability.Tests;

/// <summary>
/// Issue 9, scenario 2: two server instances on one database, 32 clients alternating between them;
/// one instance is SIGKILLed and restarted five times mid-load. Nothing acknowledged is lost or
/// doubled, and the restarted instance serves again within 10 s.
/// </summary>
public sealed class ServerKillTests(TestPostgres postgres) : IAsyncLifetime
{
    private const string Scenario = "server-killed";
    private const int Kills = 5;
    private const int Victim = 1;
    private static readonly TimeSpan FirstSuccessLimit = TimeSpan.FromSeconds(10);

    private string connectionString = null!;
    private ServerPair servers = null!;
    private TestProject project = null!;

    public async ValueTask InitializeAsync()
    {
        connectionString = await postgres.CreateDatabaseAsync("serverkill");
        servers = await ServerPair.StartAsync(connectionString);
        project = await TestData.CreateProjectAsync(connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await servers.DisposeAsync();
        await Stored.DropDatabaseAsync(connectionString);
    }

    [Fact]
    public async Task Ingest_WhileOneOfTwoServersIsKilledFiveTimes_KeepsEveryAcknowledgedIncidentOnce()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = IngestLoad.CreateClient();
        using var load = new IngestLoad(client, project, i => servers[i], targets: 2) { Clients = 32, MaxEventsPerClient = 3_000 };
        var began = Stopwatch.GetTimestamp();
        var running = load.RunAsync(TimeSpan.FromSeconds(75), cancellationToken);

        var failures = new List<string>();
        for (var kill = 1; kill <= Kills; kill++)
        {
            await Task.Delay(Random.Shared.Next(500, 2_500), cancellationToken);
            var killedAt = Stopwatch.GetTimestamp();
            await servers.KillAsync(Victim);
            await Task.Delay(Random.Shared.Next(100, 1_000), cancellationToken);
            await servers.RestartAsync(Victim);
            var restartedAt = Stopwatch.GetTimestamp();
            double? first;
            while ((first = Promises.FirstSuccessAfter(load, restartedAt, Victim)) is null
                && Stopwatch.GetElapsedTime(restartedAt) < FirstSuccessLimit + TimeSpan.FromSeconds(1))
            {
                await Task.Delay(100, cancellationToken);
            }

            var down = Stopwatch.GetElapsedTime(killedAt, restartedAt).TotalSeconds;
            Figures.Report(Scenario, $"kill {kill}", $"instance down {down:F2} s (kill to listening); its first success {(first is { } s ? $"{s:F2} s" : "never")} after the restart");
            if (first is null || first > FirstSuccessLimit.TotalSeconds)
            {
                failures.Add($"kill {kill}: the restarted instance served no success within {FirstSuccessLimit.TotalSeconds} s");
            }
        }

        await Task.Delay(2_000, cancellationToken);
        load.StopStarting(settleFor: TimeSpan.FromSeconds(10));
        await running;
        var duration = Stopwatch.GetElapsedTime(began);

        failures.AddRange(await Promises.CheckAsync(Scenario, load, connectionString, project, duration));
        foreach (var server in servers.Running)
        {
            Assert.False(server.HasExited, "a server process died:\n" + server.Output);
            failures.AddRange(ServerLog.Errors(server.Output).Take(10));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
