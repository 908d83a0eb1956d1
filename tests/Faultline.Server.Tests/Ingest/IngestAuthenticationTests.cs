using System.Diagnostics.Metrics;
using System.Net;
using Faultline.Server.Auth;
using Faultline.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Faultline.Server.Tests.Ingest;

/// <summary>
/// The ingest key travels in the same Authorization header as a person's access token; on ingest
/// routes it must not be taken for a failed sign-in (a warning and a failed-authentication count
/// per incident would drown the real ones, and cost a log write on the hot path).
/// </summary>
public sealed class IngestAuthenticationTests(TestPostgres postgres) : IngestTestBase(postgres)
{
    [Fact]
    public async Task PostIncidents_WithIngestKeyAsBearer_IsNotCountedAsAFailedSignIn()
    {
        var project = await NewProjectAsync();
        var meters = Factory.Services.GetRequiredService<IMeterFactory>();
        var failures = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "faultline_auth_failures" && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            lock (failures)
            {
                failures.Add(tags.ToArray().FirstOrDefault(t => t.Key == "kind").Value?.ToString() ?? "?");
            }
        });
        listener.Start();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await PostNativeAsync(project.IngestKey, Incident())).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostNativeAsync("fl_ingest_unknown", Incident())).StatusCode);

        // Only the unknown key is a failure, and it is an ingest-key failure, not a sign-in.
        lock (failures)
        {
            Assert.Equal(["ingest_key"], failures);
        }
    }

    [Fact]
    public void SignInMiddleware_PassesOverExactlyTheIngestRoutes()
    {
        var skipped = Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(AuthExtensions.IsWithoutSignIn)
            .Select(e => $"{string.Join(",", e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])} {e.RoutePattern.RawText}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(["POST /api/v1/incidents", "POST /api/{project}/envelope/", "POST /api/{project}/store/"], skipped);
    }
}
