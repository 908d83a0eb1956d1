using System.Diagnostics;
using System.Globalization;
using Faultline.Server.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Faultline.Reliability.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of its own (the server's embedded launcher in a temporary directory), so
/// killing it hurts no other test: SIGKILL the postmaster, then start it again on the same
/// directory, as a service manager restarting a crashed database does.
/// </summary>
internal sealed class KillableCluster : IAsyncDisposable
{
    private readonly string directory;
    private EmbeddedPostgres postgres;

    private KillableCluster(string directory, EmbeddedPostgres postgres)
    {
        this.directory = directory;
        this.postgres = postgres;
    }

    public string ConnectionString => postgres.ConnectionString;

    public static async Task<KillableCluster> StartAsync()
    {
        // Short, because a Unix socket path is limited to ~107 bytes.
        var directory = Path.Combine(Path.GetTempPath(), "flkill-" + Guid.NewGuid().ToString("N")[..8]);
        return new KillableCluster(directory, await Task.Run(() => EmbeddedPostgres.Start(directory, NullLogger.Instance)));
    }

    /// <summary>SIGKILL to the postmaster (its pid is the first line of postmaster.pid); returns when it is gone.</summary>
    public async Task KillAsync()
    {
        var pid = int.Parse(File.ReadLines(Path.Combine(postgres.ClusterDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        using var postmaster = Process.GetProcessById(pid);
        postmaster.Kill();
        while (Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(" Z ", StringComparison.Ordinal))
        {
            await Task.Delay(10);
        }
    }

    /// <summary>Starts the killed cluster again (it recovers from its WAL), retrying while its old backends still exit.</summary>
    public async Task<string> RestartAsync(TimeSpan timeout)
    {
        // Releases the data directory's lock; pg_ctl stop finds no live postmaster.
        var began = Stopwatch.GetTimestamp();
        postgres.Stop();
        var stopped = Stopwatch.GetElapsedTime(began);
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                postgres = await Task.Run(() => EmbeddedPostgres.Start(directory, NullLogger.Instance));
                return $"stop {stopped.TotalSeconds:F2} s, start {Stopwatch.GetElapsedTime(began).TotalSeconds:F2} s, attempts {attempt}";
            }
            catch (EmbeddedPostgresException) when (Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Task.Run(postgres.Stop);
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }
}
