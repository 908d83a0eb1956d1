using System.Diagnostics.Metrics;

namespace Faultline.Server.Monitoring;

/// <summary>
/// Faultline's own instruments (meter "Faultline"), exported at /metrics in the Prometheus format
/// as <c>faultline_incidents_ingested_total</c>, <c>faultline_ingest_rejected_total</c>,
/// <c>faultline_auth_failures_total</c> and <c>faultline_incident_resolution_duration_seconds</c>
/// (the exporter adds the <c>_total</c> and unit suffixes). Labels stay low-cardinality: no
/// per-project label.
/// </summary>
internal sealed class FaultlineMetrics
{
    public const string MeterName = "Faultline";

    /// <summary>From a minute to a month: resolution takes minutes for a hotfix, weeks for a backlog.</summary>
    internal static readonly IReadOnlyList<double> ResolutionBuckets =
        [60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 86_400, 3 * 86_400, 7 * 86_400, 14 * 86_400, 30 * 86_400];

    private readonly Counter<long> ingested;
    private readonly Counter<long> rejected;
    private readonly Counter<long> authFailures;
    private readonly Histogram<double> resolutionSeconds;

    public FaultlineMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        ingested = meter.CreateCounter<long>("faultline_incidents_ingested", "{incident}", "Incidents stored, by environment and route (native or sentry).");
        rejected = meter.CreateCounter<long>("faultline_ingest_rejected", "{request}", "Ingest requests refused, by reason (auth, validation, size, rate_limit, unavailable).");
        authFailures = meter.CreateCounter<long>("faultline_auth_failures", "{attempt}", "Failed sign-ins and rejected tokens or keys, by kind.");
        resolutionSeconds = meter.CreateHistogram(
            "faultline_incident_resolution_duration", "s", "Time from an incident's occurrence to its resolution.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ResolutionBuckets });
    }

    /// <summary>route: "native" or "sentry".</summary>
    public void Ingested(string environment, string route, int count = 1) =>
        ingested.Add(count, new("environment", environment), new("route", route));

    /// <summary>reason: auth, validation, size, rate_limit, unavailable.</summary>
    public void Rejected(string reason, string route) =>
        rejected.Add(1, new("reason", reason), new("route", route));

    /// <summary>kind: e.g. ingest_key, access_token, refresh_token, refresh_reuse, oauth, device.</summary>
    public void AuthFailed(string kind) => authFailures.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Resolved(TimeSpan sinceOccurred) => resolutionSeconds.Record(Math.Max(0, sinceOccurred.TotalSeconds));
}
