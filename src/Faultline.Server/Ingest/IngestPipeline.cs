using System.Globalization;
using System.Text.Json;
using Faultline.Server.Errors;
using Faultline.Server.Monitoring;
using Microsoft.Extensions.Options;

namespace Faultline.Server.Ingest;

/// <summary>Why an ingest request was refused, as counted in <c>faultline_ingest_rejected_total</c>.</summary>
internal static class RejectReason
{
    public const string Auth = "auth";
    public const string Validation = "validation";
    public const string Size = "size";
    public const string RateLimit = "rate_limit";
    public const string Unavailable = "unavailable";
}

/// <summary>
/// What the native and Sentry routes share: reading the body, finding the key's project, the rate
/// limit, cleaning and storing the incidents, and the 4xx/503 answers (each counted by reason).
/// </summary>
internal sealed partial class IngestPipeline(
    IngestKeys keys,
    IncidentWriter writer,
    IngestRateLimiter rateLimiter,
    FaultlineMetrics metrics,
    TimeProvider time,
    IOptions<IngestOptions> options,
    ILogger<IngestPipeline> logger)
{
    public static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64 };

    /// <summary>
    /// Parses JSON at most 64 levels deep, checking all of it is UTF-8 first: JsonDocument checks
    /// string contents only when they are read, which would be too late for a clean 400. Escaped
    /// lone surrogates become U+FFFD, as TextCleaner does for the rest of the text.
    /// </summary>
    public static JsonDocument ParseJson(ReadOnlyMemory<byte> json) =>
        System.Text.Unicode.Utf8.IsValid(json.Span)
            ? JsonDocument.Parse(TextCleaner.ReplaceLoneSurrogateEscapes(json), JsonOptions)
            : throw new JsonException("The body is not valid UTF-8.");

    public IngestOptions Options => options.Value;

    public FaultlineMetrics Metrics => metrics;

    public Task<(byte[]? Body, int Length, BodyError Error)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken) =>
        RequestBodyReader.ReadAsync(request, options.Value, cancellationToken);

    public Task<IngestProject?> FindProjectAsync(string key, CancellationToken cancellationToken) => keys.FindAsync(key, cancellationToken);

    /// <summary>Null when admitted; else the 429 to send (with Retry-After, and X-Sentry-Rate-Limits on Sentry routes).</summary>
    public IResult? CheckRateLimit(HttpContext context, IngestProject project, int count, string route)
    {
        if (rateLimiter.TryAcquire(project.Id, count, out var retryAfter))
        {
            return null;
        }

        var seconds = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.RetryAfter = seconds;
        if (route == IngestRoutes.Sentry)
        {
            context.Response.Headers["X-Sentry-Rate-Limits"] = $"{seconds}::key";
        }

        return Reject(route, RejectReason.RateLimit, StatusCodes.Status429TooManyRequests, "Rate limit exceeded",
            $"This ingest key may send {options.Value.RateLimitPerSecond} incidents per second; retry after {seconds} s.");
    }

    /// <summary>Cleans, locates and fingerprints the drafts, stores them, and returns after the commit.</summary>
    public async Task<IReadOnlyList<WriteResult>> StoreAsync(IngestProject project, IReadOnlyList<IncidentDraft> drafts, string route, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var records = new IncidentRecord[drafts.Count];
        for (var i = 0; i < drafts.Count; i++)
        {
            records[i] = IncidentNormalizer.Normalize(drafts[i], project, now);
        }

        // The caller's cancellation does not abandon a write in flight: it commits or fails as a whole.
        var results = await writer.WriteAsync(new WriteRequest(project.Id, records), CancellationToken.None).WaitAsync(cancellationToken);
        for (var i = 0; i < records.Length; i++)
        {
            if (!results[i].Duplicate)
            {
                metrics.Ingested(records[i].Environment, route);
            }
        }

        return results;
    }

    public IResult Reject(string route, string reason, int status, string title, string detail, IDictionary<string, string[]>? errors = null)
    {
        metrics.Rejected(reason, route);
        if (reason == RejectReason.Auth)
        {
            metrics.AuthFailed("ingest_key");
        }

        return errors is null
            ? TypedResults.Problem(detail, statusCode: status, title: title)
            : TypedResults.ValidationProblem(errors, detail, title: title);
    }

    public IResult BodyProblem(string route, BodyError error) => error switch
    {
        BodyError.TooLarge => Reject(route, RejectReason.Size, StatusCodes.Status413PayloadTooLarge, "Body too large",
            $"The request body is over {options.Value.MaxBodyBytes} bytes."),
        BodyError.DecompressedTooLarge => Reject(route, RejectReason.Size, StatusCodes.Status413PayloadTooLarge, "Body too large",
            $"The decompressed request body is over {options.Value.MaxDecompressedBytes} bytes."),
        BodyError.UnsupportedEncoding => Reject(route, RejectReason.Validation, StatusCodes.Status415UnsupportedMediaType, "Unsupported content encoding",
            "Content-Encoding must be gzip, deflate, br or identity."),
        BodyError.Malformed => Reject(route, RejectReason.Validation, StatusCodes.Status400BadRequest, "Invalid body",
            "The request body could not be read: its framing (chunked encoding) is broken or the upload was cut off."),
        _ => Reject(route, RejectReason.Validation, StatusCodes.Status400BadRequest, "Invalid body encoding",
            "The body could not be decompressed as its Content-Encoding says."),
    };

    public IResult InvalidJson(string route, JsonException exception) =>
        Reject(route, RejectReason.Validation, StatusCodes.Status400BadRequest, "Invalid JSON",
            $"The body is not valid UTF-8 JSON (at most 64 levels deep): {Describe(exception)}");

    /// <summary>The database did not answer: the client should retry.</summary>
    public IResult Unavailable(HttpContext context, string route, Exception exception)
    {
        LogUnavailable(logger, route, exception.GetType().Name);
        context.Response.Headers.RetryAfter = ProblemDetailsExtensions.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Reject(route, RejectReason.Unavailable, StatusCodes.Status503ServiceUnavailable, "Service unavailable",
            "The database is unavailable. Retry later: a retry with the same event_id is never stored twice.");
    }

    public static bool IsUnavailable(Exception exception) =>
        exception is BatcherFullException || ProblemDetailsExtensions.IsDatabaseUnavailable(exception);

    private static string Describe(JsonException exception) =>
        exception.LineNumber is { } line ? $"line {line + 1}, byte {exception.BytePositionInLine + 1}." : exception.Message;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest ({Route}) answered 503: the database is unavailable ({Error})")]
    private static partial void LogUnavailable(ILogger logger, string route, string error);
}

internal static class IngestRoutes
{
    public const string Native = "native";
    public const string Sentry = "sentry";
}
