using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Faultline.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Faultline.LanguageServer.Tests.Infrastructure;

/// <summary>
/// A small stand-in for the Faultline server's incident endpoints (the shapes of Faultline.Contracts), over real HTTP on
/// 127.0.0.1: open groups with an ETag and 304, an incident, group resolve, token refresh. It counts
/// requests and can be stopped and started again on the same port.
/// </summary>
internal sealed class FakeIncidentsServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly ConcurrentDictionary<string, List<JsonObject>> groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, JsonObject> incidents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> requests = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private WebApplication? app;
    private int version;

    public const string Token = "fl_at_testtoken";

    /// <summary>Access tokens the server accepts; refresh turns <see cref="RefreshToken"/> into a new one.</summary>
    public HashSet<string> ValidTokens { get; } = [Token];

    public string RefreshToken { get; set; } = "fl_rt_testrefresh";

    public int Port { get; private set; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    /// <summary>Responses answered 304 because the ETag matched.</summary>
    public int NotModifiedCount => requests.GetValueOrDefault("304");

    public int Requests(string key) => requests.GetValueOrDefault(key);

    public static async Task<FakeIncidentsServer> StartAsync()
    {
        var server = new FakeIncidentsServer();
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        var web = builder.Build();
        web.MapGet("/api/v1/repos/{owner}/{repo}/incident-groups", ListGroups);
        web.MapPost("/api/v1/repos/{owner}/{repo}/incident-groups/{fingerprint}/resolve", ResolveGroup);
        web.MapGet("/api/v1/incidents/{id}", GetIncident);
        web.MapPost("/api/v1/auth/refresh", (Func<HttpContext, Task<IResult>>)Refresh);
        await web.StartAsync();
        Port = new Uri(web.Urls.First()).Port;
        app = web;
    }

    public async Task StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    /// <summary>Adds an open group for <paramref name="repository"/> (owner/name) and its latest incident.</summary>
    public string AddGroup(
        string repository, string filePath, int line, string commitSha, string errorType = "TypeError",
        string errorMessage = "Cannot read properties of undefined (reading 'id')", long count = 12,
        string environment = "production", DateTimeOffset? lastSeen = null, int? column = null, string? stackTrace = null)
    {
        var fingerprint = $"fp{Interlocked.Increment(ref version):D4}";
        var incidentId = $"inc_01JTEST{fingerprint.ToUpperInvariant()}";
        var seen = lastSeen ?? DateTimeOffset.UtcNow.AddMinutes(-3);
        var group = new JsonObject
        {
            ["fingerprint"] = fingerprint,
            ["error_type"] = errorType,
            ["error_message"] = errorMessage,
            ["file_path"] = filePath,
            ["line_number"] = line,
            ["column_number"] = column,
            ["commit_sha"] = commitSha,
            ["environments"] = new JsonArray(environment),
            ["count"] = count,
            ["first_seen"] = Timestamp(seen.AddDays(-2)),
            ["last_seen"] = Timestamp(seen),
            ["latest_incident_id"] = incidentId,
        };
        incidents[incidentId] = new JsonObject
        {
            ["incident_id"] = incidentId,
            ["project_id"] = "proj_abcdefghijkl",
            ["error_message"] = errorMessage,
            ["error_type"] = errorType,
            ["stack_trace"] = stackTrace ?? $"{errorType}: {errorMessage}\n    at next (/app/node_modules/express/lib/router.js:10:5)\n    at checkout ({filePath}:{line}:7)",
            ["file_path"] = filePath,
            ["line_number"] = line,
            ["commit_sha"] = commitSha,
            ["environment"] = environment,
            ["status"] = "open",
            ["occurred_at"] = Timestamp(seen),
            ["fingerprint"] = fingerprint,
        };
        lock (gate)
        {
            groups.GetOrAdd(repository, _ => []).Add(group);
        }

        return fingerprint;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString(UtcTimestampConverter.Format, CultureInfo.InvariantCulture);

    private void Count(string key) => requests.AddOrUpdate(key, 1, (_, n) => n + 1);

    private bool Authorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && ValidTokens.Contains(header[7..]);
    }

    private IResult ListGroups(string owner, string repo, HttpContext context)
    {
        Count("groups");
        if (!Authorized(context))
        {
            return Results.Problem(statusCode: 401, title: "Unauthorized");
        }

        if (!groups.TryGetValue($"{owner}/{repo}", out var list))
        {
            return Results.Problem(statusCode: 404, title: "Not Found");
        }

        string body;
        lock (gate)
        {
            body = new JsonObject { ["groups"] = new JsonArray([.. list.Select(g => g.DeepClone())]), ["next_cursor"] = null }.ToJsonString();
        }

        var etag = $"\"{body.GetHashCode():x8}\"";
        context.Response.Headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            Count("304");
            return Results.StatusCode((int)HttpStatusCode.NotModified);
        }

        return Results.Content(body, "application/json");
    }

    private IResult ResolveGroup(string owner, string repo, string fingerprint, HttpContext context)
    {
        Count("resolve");
        if (!Authorized(context))
        {
            return Results.Problem(statusCode: 401);
        }

        int removed;
        lock (gate)
        {
            removed = groups.TryGetValue($"{owner}/{repo}", out var list) ? list.RemoveAll(g => (string?)g["fingerprint"] == fingerprint) : 0;
        }

        return Results.Json(new { resolved = removed }, Json);
    }

    private IResult GetIncident(string id, HttpContext context)
    {
        Count("incident");
        if (!Authorized(context))
        {
            return Results.Problem(statusCode: 401);
        }

        return incidents.TryGetValue(id, out var incident) ? Results.Content(incident.ToJsonString(), "application/json") : Results.Problem(statusCode: 404);
    }

    private async Task<IResult> Refresh(HttpContext context)
    {
        Count("refresh");
        var body = await JsonNode.ParseAsync(context.Request.Body);
        if ((string?)body?["refresh_token"] != RefreshToken)
        {
            return Results.Problem(statusCode: 400, title: "invalid_grant");
        }

        var access = "fl_at_refreshed" + Guid.NewGuid().ToString("N")[..8];
        ValidTokens.Add(access);
        RefreshToken = "fl_rt_next" + Guid.NewGuid().ToString("N")[..8];
        return Results.Json(new { access_token = access, refresh_token = RefreshToken, token_type = "Bearer", expires_in = 3600 }, Json);
    }
}
