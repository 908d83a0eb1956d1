using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Faultline.Bench;

/// <summary>
/// The least an HTTP ingest endpoint can cost here (<c>--http-floor</c>): Kestrel in this process
/// with one route that reads the body, parses it as JSON and answers 201 with a fixed body, nothing
/// else (no key, no database, no stack trace), driven by the same wrk load as the server. What it
/// and the driver spend per request is spent by any server on this machine before its own work.
/// </summary>
internal static class HttpFloor
{
    private static readonly byte[] Answer =
        """{"incidents":[{"incident_id":"inc_01M96Q5HP8QQSV9FPCWXBHVM84","event_id":"00000000000000000000000000000000","duplicate":false}]}"""u8.ToArray();

    public static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/api/v1/incidents", async context =>
        {
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            using (JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length)))
            {
            }

            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Answer);
        });
        await app.StartAsync();
        return app;
    }

    public static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
