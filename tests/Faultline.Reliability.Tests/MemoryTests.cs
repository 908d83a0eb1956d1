using System.Diagnostics;
using System.Globalization;
using Faultline.Reliability.Tests.Support;
using Faultline.Testing;

namespace Faultline.Reliability.Tests;

/// <summary>
/// Issue 9, scenario 6: the server's resident memory stays under 300 MB through a 60 s ingest run
/// at full speed, and comes back within 20% of its pre-load size afterwards.
/// </summary>
public sealed class MemoryTests(TestPostgres postgres) : IAsyncLifetime
{
    private const string Scenario = "memory";
    private const double LimitMegabytes = 300;
    private const double SettleRatio = 1.20;
    private static readonly TimeSpan LoadFor = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SettleFor = TimeSpan.FromSeconds(20);

    private ServerGroup servers = null!;

    private ServerProcess Server => servers.First;

    public async ValueTask InitializeAsync() => servers = await ServerGroup.StartAsync(postgres, "memory", count: 1);

    public ValueTask DisposeAsync() => servers is null ? ValueTask.CompletedTask : servers.DisposeAsync();

    [Fact]
    public async Task SixtySecondsOfFullSpeedIngest_StaysUnder300MB_AndReturnsNearItsPreLoadSize()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = IngestLoad.CreateClient();
        var started = RssMegabytes();

        // Warm up (JIT, connection pools), so that "pre-load" means a server that has served; another
        // project, so that the load's figures count only the load's own events.
        var warmUpProject = await TestData.CreateProjectAsync(servers.ConnectionString);
        using (var warmUp = new IngestLoad(client, warmUpProject, _ => Server.BaseAddress) { Clients = 4, MaxEventsPerClient = 250 })
        {
            await warmUp.RunAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var before = RssMegabytes();

        using var load = new IngestLoad(client, servers.Project, _ => Server.BaseAddress) { Clients = 32, MaxEventsPerClient = 100_000 };
        var began = Stopwatch.GetTimestamp();
        var running = load.RunAsync(LoadFor, cancellationToken);
        var peak = before;
        while (!running.IsCompleted)
        {
            peak = Math.Max(peak, RssMegabytes());
            await Task.WhenAny(running, Task.Delay(200, cancellationToken));
        }

        await running;
        var duration = Stopwatch.GetElapsedTime(began);
        var after = RssMegabytes();
        var settleBegan = Stopwatch.GetTimestamp();
        while (after > before * SettleRatio && Stopwatch.GetElapsedTime(settleBegan) < SettleFor)
        {
            await Task.Delay(500, cancellationToken);
            after = RssMegabytes();
        }

        var settled = Stopwatch.GetElapsedTime(settleBegan);
        Figures.Report(Scenario, "RSS at start", $"{started:F0} MB");
        Figures.Report(Scenario, "RSS before load (after warm-up)", $"{before:F0} MB");
        Figures.Report(Scenario, "RSS peak during load", $"{peak:F0} MB (limit {LimitMegabytes:F0} MB)");
        Figures.Report(Scenario, "RSS after load", $"{after:F0} MB, {after / before * 100 - 100:+0;-0}% of pre-load, {settled.TotalSeconds:F1} s after the load (limit +{(SettleRatio - 1) * 100:F0}%)");
        var failures = await Promises.CheckAsync(Scenario, load, servers.ConnectionString, servers.Project, duration);

        Assert.False(Server.HasExited, "the server process died:\n" + Server.Output);
        Assert.True(peak < LimitMegabytes, $"peak RSS {peak:F0} MB");
        Assert.True(after <= before * SettleRatio, $"RSS {after:F0} MB after the load, {before:F0} MB before");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>VmRSS of the server process, from /proc.</summary>
    private double RssMegabytes()
    {
        var line = File.ReadLines($"/proc/{Server.ProcessId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
