namespace Faultline.Server.Ingest;

/// <summary>
/// A token bucket per project (so per ingest key), per server instance: <c>RateLimitPerSecond</c>
/// incidents a second with a burst of one second's worth. Requests never wait: over the limit they
/// are answered 429 with the seconds until enough tokens are back.
/// </summary>
internal sealed class IngestRateLimiter(Microsoft.Extensions.Options.IOptions<IngestOptions> options, TimeProvider time)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, Bucket> buckets = new();

    /// <summary>Takes <paramref name="count"/> tokens, or returns how long to wait before retrying.</summary>
    public bool TryAcquire(Guid projectId, int count, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        var rate = options.Value.RateLimitPerSecond;
        if (rate <= 0 || count == 0)
        {
            return true;
        }

        var now = time.GetTimestamp();
        var bucket = buckets.GetOrAdd(projectId, static (_, state) => new Bucket(state.rate, state.now), (rate, now));
        lock (bucket)
        {
            var elapsed = time.GetElapsedTime(bucket.Updated, now).TotalSeconds;
            bucket.Tokens = Math.Min(rate, bucket.Tokens + (elapsed * rate));
            bucket.Updated = now;
            if (bucket.Tokens >= count)
            {
                bucket.Tokens -= count;
                return true;
            }

            // A batch bigger than the whole burst can never fit: it waits for a full bucket.
            var missing = Math.Min(count, rate) - bucket.Tokens;
            retryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(missing / rate)));
            return count <= rate ? false : TryWhole(bucket, rate, count, ref retryAfter);
        }
    }

    private static bool TryWhole(Bucket bucket, int rate, int count, ref TimeSpan retryAfter)
    {
        // Over-sized batches are admitted when the bucket is full, leaving it in debt.
        if (bucket.Tokens >= rate)
        {
            bucket.Tokens -= count;
            retryAfter = TimeSpan.Zero;
            return true;
        }

        return false;
    }

    private sealed class Bucket(double tokens, long updated)
    {
        public double Tokens { get; set; } = tokens;

        public long Updated { get; set; } = updated;
    }
}
