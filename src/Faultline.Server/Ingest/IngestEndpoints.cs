using System.Text.Json;
using Faultline.Contracts;
using Faultline.Server.Auth;

namespace Faultline.Server.Ingest;

/// <summary><c>POST /api/v1/incidents</c>: the native ingest API, authenticated by the project's ingest key.</summary>
internal static class IngestEndpoints
{
    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/incidents", PostIncidentsAsync)
            .WithTags("Ingest")
            .RequireCors(SentryEndpoints.CorsPolicy)
            .WithoutSignIn() // authenticated by the ingest key, not by a sign-in
            .Accepts<JsonElement>("application/json")
            .Produces<IngestResponse>(StatusCodes.Status201Created);
        return app;
    }

    private static async Task<IResult> PostIncidentsAsync(HttpContext context, IngestPipeline pipeline, CancellationToken cancellationToken)
    {
        const string route = IngestRoutes.Native;
        var key = ReadKey(context.Request);
        if (key is null)
        {
            return pipeline.Reject(route, RejectReason.Auth, StatusCodes.Status401Unauthorized, "Missing ingest key",
                "Send the project's ingest key as 'Authorization: Bearer fl_ingest_…' or 'X-Faultline-Key'.");
        }

        if (!IsJson(context.Request.ContentType))
        {
            return pipeline.Reject(route, RejectReason.Validation, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the incidents as JSON with 'Content-Type: application/json'.");
        }

        // The key look-up and the body read overlap: neither waits for the other.
        var lookup = pipeline.FindProjectAsync(key, cancellationToken);
        var (body, length, bodyError) = await pipeline.ReadBodyAsync(context.Request, cancellationToken);
        try
        {
            IngestProject? project;
            try
            {
                project = await lookup;
            }
            catch (Exception exception) when (IngestPipeline.IsUnavailable(exception))
            {
                return pipeline.Unavailable(context, route, exception);
            }

            if (project is null)
            {
                return pipeline.Reject(route, RejectReason.Auth, StatusCodes.Status401Unauthorized, "Unknown ingest key",
                    "No project has this ingest key.");
            }

            if (bodyError != BodyError.None)
            {
                return pipeline.BodyProblem(route, bodyError);
            }

            JsonDocument document;
            try
            {
                document = IngestPipeline.ParseJson(body.AsMemory(0, length));
            }
            catch (JsonException exception)
            {
                return pipeline.InvalidJson(route, exception);
            }

            using (document)
            {
                var (drafts, errors) = NativeIncidentParser.Parse(document.RootElement);
                if (errors.Any)
                {
                    return pipeline.Reject(route, RejectReason.Validation, StatusCodes.Status400BadRequest, "Invalid incident",
                        "One or more fields are invalid; nothing was stored.", errors.Errors);
                }

                if (pipeline.CheckRateLimit(context, project, drafts.Count, route) is { } limited)
                {
                    return limited;
                }

                IReadOnlyList<WriteResult> results;
                try
                {
                    results = await pipeline.StoreAsync(project, drafts, route, cancellationToken);
                }
                catch (Exception exception) when (IngestPipeline.IsUnavailable(exception))
                {
                    return pipeline.Unavailable(context, route, exception);
                }

                var response = new IngestResponse([.. results.Select((r, i) => new IngestedIncident(r.IncidentId, drafts[i].EventIdText ?? r.EventId.ToString("D"), r.Duplicate))]);
                return TypedResults.Json(response, FaultlineJsonContext.Default.IngestResponse, statusCode: StatusCodes.Status201Created);
            }
        }
        finally
        {
            RequestBodyReader.Return(body);
        }
    }

    private static string? ReadKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization[7..].Trim();
        }

        var header = request.Headers["X-Faultline-Key"].ToString().Trim();
        return header.Length > 0 ? header : null;
    }

    private static bool IsJson(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }
}
