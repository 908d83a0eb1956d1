using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Faultline.Server.Monitoring;

/// <summary>
/// Metrics through OpenTelemetry: Faultline's meter, ASP.NET Core, the runtime and Npgsql,
/// scraped at <c>GET /metrics</c> in the Prometheus text format, and also pushed over OTLP (with
/// traces) when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
internal static class MonitoringExtensions
{
    public const string MetricsPath = "/metrics";
    public const string ServiceName = "faultline-server";

    /// <summary>Fine enough at the low end to tell a 1 ms query from a 5 ms one.</summary>
    internal static readonly double[] RequestDurationBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public static WebApplicationBuilder AddFaultlineMonitoring(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<FaultlineMetrics>();
        builder.Services.TryAddSingleton<DatabaseGauges>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics => metrics
                .AddMeter(FaultlineMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddView("http.server.request.duration", new ExplicitBucketHistogramConfiguration { Boundaries = RequestDurationBuckets })
                // No response cache: every scrape collects, so the database gauges are read fresh.
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // Endpoint, protocol and headers come from the standard OTEL_EXPORTER_OTLP_* variables.
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddNpgsql()).UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// <c>GET /metrics</c>: open unless <c>Faultline:Monitoring:MetricsToken</c> is set (operators
    /// firewall it otherwise), and left out of the request-duration histogram it would skew.
    /// </summary>
    public static IEndpointConventionBuilder MapMetrics(this WebApplication app)
    {
        // Created now rather than on first use, so their series are there from the first scrape.
        app.Services.GetRequiredService<FaultlineMetrics>();
        app.Services.GetRequiredService<DatabaseGauges>();
        var token = app.Services.GetRequiredService<IOptions<MonitoringOptions>>().Value.MetricsToken;
        return app.MapPrometheusScrapingEndpoint(
                MetricsPath,
                meterProvider: null,
                configureBranchedPipeline: string.IsNullOrEmpty(token) ? null : pipeline => pipeline.Use(RequireToken(token)),
                optionsName: null)
            .AllowAnonymous()
            .DisableHttpMetrics();
    }

    private static Func<HttpContext, RequestDelegate, Task> RequireToken(string token)
    {
        var expected = Encoding.UTF8.GetBytes("Bearer " + token);
        return (context, next) =>
        {
            var sent = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
            if (CryptographicOperations.FixedTimeEquals(sent, expected))
            {
                return next(context);
            }

            context.RequestServices.GetRequiredService<FaultlineMetrics>().AuthFailed("metrics_token");
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(
                "GET /metrics needs Authorization: Bearer with Faultline:Monitoring:MetricsToken.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized").ExecuteAsync(context);
        };
    }
}
