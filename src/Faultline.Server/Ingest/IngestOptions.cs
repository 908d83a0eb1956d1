using System.ComponentModel.DataAnnotations;

namespace Faultline.Server.Ingest;

/// <summary><c>Faultline:Ingest</c> settings.</summary>
internal sealed class IngestOptions
{
    public const string Section = "Faultline:Ingest";

    /// <summary>Incidents per second per ingest key, per server instance; 0 turns the limit off.</summary>
    [Range(0, 10_000_000)]
    public int RateLimitPerSecond { get; set; } = 1000;

    /// <summary>Largest request body as sent; a decompressed body may be <see cref="DecompressionRatio"/> times that.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    [Range(1, 100)]
    public int DecompressionRatio { get; set; } = 10;

    /// <summary>Most incidents written in one group-commit transaction.</summary>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>
    /// Group-commit transactions in flight at once: each after the first is gathered and sent as soon
    /// as the one before it has been sent. One is fastest on two cores: with two, each batch held
    /// half as many incidents (15 instead of 27 under the ingest benchmark), PostgreSQL spent 190 to
    /// 210 µs of CPU per incident instead of 155 to 160 (the same index pages, the same project's
    /// locks), and no more incidents were stored per second.
    /// </summary>
    [Range(1, 64)]
    public int Writers { get; set; } = 1;

    public long MaxDecompressedBytes => (long)MaxBodyBytes * DecompressionRatio;
}
