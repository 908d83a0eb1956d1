using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Faultline.Server.Auth;
using Faultline.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

    [Fact]
    public async Task IngestRequests_AreNeverAuthenticatedAsSignIns()
    {
        var project = await NewProjectAsync();
        var calls = new AuthenticationCalls();
        await using var counted = Factory.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            services.AddSingleton(calls);
            services.AddScoped<IAuthenticationService, CountingAuthenticationService>();
        }));
        using var client = counted.CreateClient();

        const string sentryEvent = $$$"""
            {"release":"{{{Sha}}}","exception":{"values":[{"type":"TypeError","value":"x",
              "stacktrace":{"frames":[{"abs_path":"/var/task/src/a.ts","lineno":3,"in_app":true}]}}]}}
            """;
        foreach (var (path, body) in new[] { ("/api/v1/incidents", Incident()), ($"/api/{project.ProjectNumber}/store/", sentryEvent) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", project.IngestKey);
            request.Headers.Add("X-Sentry-Auth", $"Sentry sentry_version=7, sentry_key={project.IngestKey}");
            using var response = await client.SendAsync(request, Cancel);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        }

        Assert.Equal(0, calls.Count);

        // The control: a route that takes a sign-in is authenticated through the same service.
        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "fl_at_notatoken");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(me, Cancel)).StatusCode);
        Assert.True(calls.Count > 0);
    }

    private sealed class AuthenticationCalls
    {
        private int count;

        public int Count => Volatile.Read(ref count);

        public void Add() => Interlocked.Increment(ref count);
    }

    private sealed class CountingAuthenticationService(
        AuthenticationCalls calls, IAuthenticationSchemeProvider schemes, IAuthenticationHandlerProvider handlers,
        IClaimsTransformation transform, IOptions<AuthenticationOptions> options)
        : AuthenticationService(schemes, handlers, transform, options)
    {
        public override Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme)
        {
            calls.Add();
            return base.AuthenticateAsync(context, scheme);
        }
    }
}
