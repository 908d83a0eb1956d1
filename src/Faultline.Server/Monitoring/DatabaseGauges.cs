using System.Diagnostics.Metrics;
using Dapper;
using Faultline.Server.Database;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Faultline.Server.Monitoring;

/// <summary>
/// The gauges read from the database at collection time: <c>faultline_ingest_keys_stale</c> and
/// <c>faultline_ready</c>. Observable-gauge callbacks are synchronous, so each callback runs its
/// query and waits for it at most <see cref="MonitoringOptions.DatabaseTimeout"/> (one blocked
/// thread per scrape, bounded). Doing it in the callback, rather than in the /metrics path,
/// keeps the figures fresh for every reader: a Prometheus scrape and an OTLP export alike.
/// </summary>
internal sealed class DatabaseGauges
{
    /// <summary>
    /// A key counts from its last use; a key never used counts from its project's creation (a
    /// missing usage row or a NULL <c>last_used_at</c>): a project set up 40 days ago that never
    /// sent anything is as stale as one that stopped 40 days ago, and a project made yesterday is not.
    /// </summary>
    private const string CountStaleKeysSql = """
        SELECT count(*)
        FROM projects p
        LEFT JOIN api_key_usage u ON u.project_id = p.id AND u.key_type = 'ingest'
        WHERE COALESCE(u.last_used_at, p.created_at) < @Cutoff
        """;

    public const string StaleKeysName = "faultline_ingest_keys_stale";
    public const string ReadyName = "faultline_ready";

    private readonly NpgsqlDataSource dataSource;
    private readonly TimeProvider time;
    private readonly IOptionsMonitor<MonitoringOptions> options;
    private readonly ILogger<DatabaseGauges> logger;

    public DatabaseGauges(
        IMeterFactory meterFactory, NpgsqlDataSource dataSource, TimeProvider time,
        IOptionsMonitor<MonitoringOptions> options, ILogger<DatabaseGauges> logger)
    {
        this.dataSource = dataSource;
        this.time = time;
        this.options = options;
        this.logger = logger;
        var meter = meterFactory.Create(FaultlineMetrics.MeterName);
        meter.CreateObservableGauge(StaleKeysName, ObserveStaleKeys, "{key}",
            "Projects whose ingest key was not used for Faultline:Monitoring:StaleKeyDays days (never-used keys count from the project's creation).");
        meter.CreateObservableGauge(ReadyName, ObserveReady, null,
            "1 when the database is reachable and migrated (what /readyz checks), else 0.");
    }

    private IEnumerable<Measurement<long>> ObserveStaleKeys()
    {
        var cutoff = time.GetUtcNow().AddDays(-options.CurrentValue.StaleKeyDays);
        return Read(StaleKeysName, token => CountStaleKeysAsync(cutoff, token)) is { } count ? [new(count)] : [];
    }

    private IEnumerable<Measurement<long>> ObserveReady() => [new(Read(ReadyName, IsReadyAsync) ?? 0)];

    private async Task<long> CountStaleKeysAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            CountStaleKeysSql, new { Cutoff = cutoff.UtcDateTime }, cancellationToken: cancellationToken));
    }

    private async Task<long> IsReadyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Migrator.IsUpToDateAsync(connection, cancellationToken) ? 1 : 0;
    }

    /// <summary>The query's answer, or null (with a warning) when it failed or outlasted the timeout.</summary>
    private long? Read(string gauge, Func<CancellationToken, Task<long>> query)
    {
        var timeout = options.CurrentValue.DatabaseTimeout;
        // The token cancels the query at the deadline (on the timer's thread, so the callback never
        // waits for the driver's cancel request); it is disposed when the query has ended.
        var cancellation = new CancellationTokenSource(timeout);
        var task = Task.Run(() => query(cancellation.Token), CancellationToken.None);
        _ = task.ContinueWith(
            static (t, state) =>
            {
                _ = t.Exception; // observed here when the caller stopped waiting
                ((CancellationTokenSource)state!).Dispose();
            },
            cancellation, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        try
        {
            // WaitAsync returns at the deadline even if the driver is still waiting on the socket.
            return task.WaitAsync(timeout).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            Log.GaugeTimedOut(logger, gauge, timeout);
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            Log.GaugeFailed(logger, gauge, exception);
        }

        return null;
    }
}
