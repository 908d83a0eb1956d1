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

    private ServerGroup servers = null!;

    public async ValueTask InitializeAsync() => servers = await ServerGroup.StartAsync(postgres, "serverkill", count: 2);

    public ValueTask DisposeAsync() => servers is null ? ValueTask.CompletedTask : servers.DisposeAsync();

    [Fact]
    public async Task Ingest_WhileOneOfTwoServersIsKilledFiveTimes_KeepsEveryAcknowledgedIncidentOnce()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = IngestLoad.CreateClient();
        using var load = new IngestLoad(client, servers.Project, i => servers[i], targets: 2) { Clients = 32, MaxEventsPerClient = 3_000 };
        var began = Stopwatch.GetTimestamp();
        var running = load.RunAsync(TimeSpan.FromSeconds(60), cancellationToken);

        var failures = await Faults.KillAndRestartAsync(
            Scenario, load, Kills, () => servers.KillAsync(Victim), async () => { await servers.RestartAsync(Victim); return null; }, Victim, cancellationToken);

        await Task.Delay(2_000, cancellationToken);
        load.StopStarting(settleFor: TimeSpan.FromSeconds(10));
        await running;
        var duration = Stopwatch.GetElapsedTime(began);

        failures.AddRange(await Promises.CheckAsync(Scenario, load, servers.ConnectionString, servers.Project, duration));
        foreach (var server in servers.Running)
        {
            Assert.False(server.HasExited, "a server process died:\n" + server.Output);
            failures.AddRange(ServerLog.Errors(server.Output).Take(10));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
