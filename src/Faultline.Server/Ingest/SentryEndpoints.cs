using System.Globalization;
using System.Text.Json;
using Faultline.Contracts;
using Faultline.Server.Auth;

namespace Faultline.Server.Ingest;

/// <summary>
/// The Sentry protocol, so that unchanged Sentry SDKs work: <c>POST /api/{project}/envelope/</c> and
/// <c>/store/</c>, the key from X-Sentry-Auth, the <c>sentry_key</c> query parameter or the envelope
/// header's <c>dsn</c>, answered <c>200 {"id": …}</c> after the commit. Browser SDKs get CORS.
/// </summary>
internal static class SentryEndpoints
{
    public const string CorsPolicy = "ingest";
    public const int MaxEventsPerEnvelope = 100;

    public static IServiceCollection AddIngestCors(this IServiceCollection services) =>
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .AllowAnyOrigin()
            .AllowAnyHeader()
            .WithMethods("POST")
            .WithExposedHeaders("Retry-After", "X-Sentry-Rate-Limits")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));

    public static IEndpointRouteBuilder MapSentry(this IEndpointRouteBuilder app)
    {
        // Authenticated by the DSN's ingest key, not by a sign-in.
        var group = app.MapGroup("/api/{project}").WithTags("Sentry").RequireCors(CorsPolicy).WithoutSignIn();
        group.MapPost("/envelope/", EnvelopeAsync);
        group.MapPost("/store/", StoreAsync);
        return app;
    }

    private static Task<IResult> EnvelopeAsync(string project, HttpContext context, IngestPipeline pipeline, CancellationToken cancellationToken) =>
        HandleAsync(project, context, pipeline, isEnvelope: true, cancellationToken);

    private static Task<IResult> StoreAsync(string project, HttpContext context, IngestPipeline pipeline, CancellationToken cancellationToken) =>
        HandleAsync(project, context, pipeline, isEnvelope: false, cancellationToken);

    private static async Task<IResult> HandleAsync(string projectPart, HttpContext context, IngestPipeline pipeline, bool isEnvelope, CancellationToken cancellationToken)
    {
        const string route = IngestRoutes.Sentry;
        if (IsForm(context.Request.ContentType))
        {
            return pipeline.Reject(route, RejectReason.Validation, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send a Sentry envelope (application/x-sentry-envelope) or a JSON event.");
        }

        var key = SentryAuth.KeyFromRequest(context.Request);
        var lookup = key is null ? null : pipeline.FindProjectAsync(key, cancellationToken);
        var (body, length, bodyError) = await pipeline.ReadBodyAsync(context.Request, cancellationToken);
        JsonDocument? header = null;
        var documents = new List<JsonDocument>();
        try
        {
            if (bodyError != BodyError.None)
            {
                return pipeline.BodyProblem(route, bodyError);
            }

            var memory = body.AsMemory(0, length);
            List<JsonElement> events = [];
            Guid? envelopeEventId = null;
            if (isEnvelope)
            {
                if (!SentryEnvelope.TryParse(memory, IngestPipeline.JsonOptions, out header, out var items, out var envelopeError))
                {
                    return pipeline.Reject(route, RejectReason.Validation, StatusCodes.Status400BadRequest, "Invalid envelope", envelopeError!);
                }

                envelopeEventId = SentryAuth.EventId(header!.RootElement);
                if (key is null && SentryAuth.KeyFromDsn(header.RootElement) is { } dsnKey)
                {
                    key = dsnKey;
                    lookup = pipeline.FindProjectAsync(key, cancellationToken);
                }

                var eventItems = items.Where(i => i.Type is "event").ToList();
                if (eventItems.Count > MaxEventsPerEnvelope)
                {
                    return pipeline.Reject(route, RejectReason.Validation, StatusCodes.Status400BadRequest, "Too many events",
                        $"An envelope may carry at most {MaxEventsPerEnvelope} events.");
                }

                foreach (var item in eventItems)
                {
                    var document = IngestPipeline.ParseJson(item.Payload);
                    documents.Add(document);
                    events.Add(document.RootElement);
                }
            }
            else
            {
                var document = IngestPipeline.ParseJson(memory);
                documents.Add(document);
                events.Add(document.RootElement);
            }

            if (lookup is null)
            {
                return pipeline.Reject(route, RejectReason.Auth, StatusCodes.Status403Forbidden, "Missing authentication",
                    "Send the DSN's key in X-Sentry-Auth (sentry_key=…), the sentry_key query parameter or the envelope header's dsn.");
            }

            IngestProject? project;
            try
            {
                project = await lookup;
            }
            catch (Exception exception) when (IngestPipeline.IsUnavailable(exception))
            {
                return pipeline.Unavailable(context, route, exception);
            }

            if (project is null || !Matches(project, projectPart))
            {
                return pipeline.Reject(route, RejectReason.Auth, StatusCodes.Status401Unauthorized, "Unknown key",
                    "This key does not belong to the project in the URL. Copy the DSN from the project's page.");
            }

            var drafts = new List<IncidentDraft>(events.Count);
            foreach (var evt in events)
            {
                var (draft, error) = SentryEventMapper.Map(evt, events.Count == 1 ? envelopeEventId : null);
                if (draft is null)
                {
                    return pipeline.Reject(route, RejectReason.Validation, StatusCodes.Status400BadRequest, "Cannot store this event", error!);
                }

                drafts.Add(draft);
            }

            if (pipeline.CheckRateLimit(context, project, drafts.Count, route) is { } limited)
            {
                return limited;
            }

            IReadOnlyList<WriteResult> results;
            try
            {
                // An envelope without events (sessions, client reports) still records the key's use.
                results = await pipeline.StoreAsync(project, drafts, route, cancellationToken);
            }
            catch (Exception exception) when (IngestPipeline.IsUnavailable(exception))
            {
                return pipeline.Unavailable(context, route, exception);
            }

            var id = results.Count > 0 ? results[0].EventId.ToString("N") : envelopeEventId?.ToString("N");
            return TypedResults.Json(new SentryResponse(id), FaultlineJsonContext.Default.SentryResponse);
        }
        catch (JsonException exception)
        {
            return pipeline.InvalidJson(route, exception);
        }
        finally
        {
            header?.Dispose();
            foreach (var document in documents)
            {
                document.Dispose();
            }

            RequestBodyReader.Return(body);
        }
    }

    /// <summary>The URL's project part is the project number (what SDKs accept) or, for SDKs that send it verbatim, the public id.</summary>
    private static bool Matches(IngestProject project, string projectPart) =>
        int.TryParse(projectPart, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number == project.ProjectNumber
            : string.Equals(projectPart, project.ProjectId, StringComparison.Ordinal);

    /// <summary>SDKs send envelopes with no Content-Type or several; only a form upload is certainly not one.</summary>
    private static bool IsForm(string? contentType) =>
        contentType is not null && contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase);
}
