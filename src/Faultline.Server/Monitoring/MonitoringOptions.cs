using System.ComponentModel.DataAnnotations;

namespace Faultline.Server.Monitoring;

/// <summary><c>Faultline:Monitoring</c> settings.</summary>
internal sealed class MonitoringOptions
{
    public const string Section = "Faultline:Monitoring";

    /// <summary>A project's ingest key unused for this many days counts in <c>faultline_ingest_keys_stale</c>.</summary>
    [Range(1, 3650)]
    public int StaleKeyDays { get; set; } = 30;

    /// <summary>
    /// The longest a scrape waits for each database-backed gauge; past it the stale-keys gauge is
    /// left out of that scrape and <c>faultline_ready</c> reads 0.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan DatabaseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>When set, <c>GET /metrics</c> requires <c>Authorization: Bearer &lt;token&gt;</c>. From the environment, never a committed file.</summary>
    public string? MetricsToken { get; set; }
}
