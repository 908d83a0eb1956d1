using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Faultline.Core.Identifiers;
using Faultline.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Faultline.Server.Tests.Isolation;

/// <summary>
/// Tenant isolation, tested as an attacker would: every route the server maps (read from the
/// endpoint data source, so a route added later is covered without touching this file) is called
/// by another signed-in user with the victim's ids in every route parameter, and must answer 404
/// with exactly the body a nonexistent id gets. Every route must refuse anonymous callers unless it
/// is listed in <see cref="PublicRoutes"/> with the reason. A route parameter this test cannot fill
/// fails the test: add it to <see cref="SubstitutionsAsync"/>.
/// </summary>
public sealed class IsolationTests(TestPostgres postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Routes that answer without a session, each with why that is right.</summary>
    private static readonly Dictionary<string, string> PublicRoutes = Keyed(new()
    {
        ["GET /healthz"] = "liveness probe, says nothing about data",
        ["GET /readyz"] = "readiness probe, says nothing about data",
        ["GET /metrics"] = "Prometheus scrape: aggregate counters without per-project labels",
        ["GET /api/v1/auth/config"] = "tells clients how to sign in",
        ["GET /api/v1/auth/antiforgery"] = "antiforgery token bound to the caller's own browser",
        ["POST /api/v1/auth/device/start"] = "begins a sign-in",
        ["POST /api/v1/auth/device/poll"] = "completes a sign-in; authenticated by the device code",
        ["POST /api/v1/auth/refresh"] = "authenticated by the refresh token in the body",
        ["POST /api/v1/auth/local"] = "local mode only, loopback clients only",
        ["GET /auth/github/login"] = "begins the browser sign-in",
        ["POST /auth/local"] = "local mode only, loopback clients only, antiforgery",
        ["POST /auth/logout"] = "ends the caller's own cookie session, antiforgery",
        ["POST /api/v1/incidents"] = "ingest: authenticated by the project's ingest key",
        ["POST /api/{project}/envelope"] = "Sentry ingest: authenticated by the ingest key, which must match the project number",
        ["POST /api/{project}/store"] = "Sentry ingest: authenticated by the ingest key, which must match the project number",
        ["OPTIONS /api/{project}/envelope"] = "CORS preflight for browser SDKs",
        ["OPTIONS /api/{project}/store"] = "CORS preflight for browser SDKs",
        ["GET /"] = "dashboard home: redirects to the sign-in page or the projects list, shows no data",
        ["GET /sign-in"] = "the dashboard's sign-in page",
        ["GET /static/{name}"] = "the dashboard's stylesheet and script",
    });

    [Fact]
    public async Task EveryRoute_WithAnotherUsersIds_Answers404IdenticalToNonexistent()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString);
        var victim = await TestAccounts.SignInAsync(factory);
        var attacker = await TestAccounts.SignInAsync(factory);
        var victimProject = await TestData.CreateProjectAsync(postgres.ConnectionString, victim.UserId);
        var substitutions = await SubstitutionsAsync(victimProject);
        var anonymous = factory.CreateClient();
        var asAttacker = attacker.CreateClient(factory);
        var asVictim = victim.CreateClient(factory);

        var failures = new List<string>();
        var checkedWithIds = 0;
        foreach (var (method, pattern) in Routes(factory))
        {
            var key = Key(method, pattern);
            if (PublicRoutes.ContainsKey(key))
            {
                continue;
            }

            var unknown = pattern.Parameters.Select(p => Normalize(p.Name)).Where(n => !substitutions.ContainsKey(n)).ToList();
            if (unknown.Count > 0)
            {
                failures.Add($"{key}: no substitution for parameter(s) {string.Join(", ", unknown)}; add them to IsolationTests.SubstitutionsAsync");
                continue;
            }

            var victimPath = Path(pattern, substitutions, nonexistent: false);
            var (anonymousStatus, _) = await SendAsync(anonymous, method, victimPath);
            if (anonymousStatus != HttpStatusCode.Unauthorized)
            {
                failures.Add($"{key}: answered {(int)anonymousStatus} without a session; require Policies.User or list it in PublicRoutes with a reason");
            }

            if (pattern.Parameters.Count == 0)
            {
                if (method == "GET")
                {
                    var (_, body) = await SendAsync(asAttacker, method, victimPath);
                    if (new[] { victimProject.ProjectId, victimProject.IngestKey, victimProject.RepositoryFullName }.FirstOrDefault(body.Contains) is { } leaked)
                    {
                        failures.Add($"{key}: shows another user's {leaked}");
                    }
                }

                continue;
            }

            checkedWithIds++;
            var (stolenStatus, stolenBody) = await SendAsync(asAttacker, method, victimPath);
            var (missingStatus, missingBody) = await SendAsync(asAttacker, method, Path(pattern, substitutions, nonexistent: true));
            if (stolenStatus != HttpStatusCode.NotFound || missingStatus != HttpStatusCode.NotFound)
            {
                failures.Add($"{key}: another user's ids gave {(int)stolenStatus}, nonexistent ids gave {(int)missingStatus}; both must be 404");
            }
            else if (WithoutTraceId(stolenBody) != WithoutTraceId(missingBody))
            {
                failures.Add($"{key}: 404 bodies differ:\n  theirs:  {stolenBody}\n  missing: {missingBody}");
            }

            if (method == "GET")
            {
                var (ownStatus, _) = await SendAsync(asVictim, method, victimPath);
                if ((int)ownStatus is < 200 or > 299)
                {
                    failures.Add($"{key}: the owner gets {(int)ownStatus} for their own ids, so the substitution proves nothing");
                }
            }
        }

        Assert.True(checkedWithIds >= 4, $"only {checkedWithIds} routes with ids were found");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task SessionTokens_AsIngestKeys_Answer401()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString);
        var account = await TestAccounts.SignInAsync(factory);
        var project = await TestData.CreateProjectAsync(postgres.ConnectionString, account.UserId);
        var ingest = Routes(factory).Where(r => r.Method == "POST" && Key(r.Method, r.Pattern) == Key("POST", RoutePatternFactory.Parse("/api/v1/incidents"))).ToList();
        if (ingest.Count == 0)
        {
            Assert.Skip("POST /api/v1/incidents is not mapped in this build yet.");
        }

        var client = factory.CreateClient();
        foreach (var secret in new[] { account.AccessToken, account.RefreshToken })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents")
            {
                Content = new StringContent($$"""{"error_message":"x","commit_sha":"{{new string('a', 40)}}"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request, Cancel)).StatusCode);
        }

        Assert.NotEmpty(project.IngestKey);
    }

    /// <summary>For each route parameter (normalized: lower case, no underscores): the victim's value and a nonexistent one.</summary>
    private async Task<Dictionary<string, (string Victim, string Nonexistent)>> SubstitutionsAsync(TestProject project)
    {
        var incidentId = PublicIds.NewIncidentId(DateTimeOffset.UtcNow);
        var fingerprint = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString))
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO incidents (incident_id, project_id, error_message, error_type, file_path, line_number, commit_sha, environment, occurred_at, fingerprint)
                VALUES (@IncidentId, @ProjectId, 'TypeError: secret of the victim', 'TypeError', 'src/app.ts', 3, @Sha, 'production', now(), @Fingerprint)
                """,
                new { IncidentId = incidentId, ProjectId = project.Id, Sha = new string('b', 40), Fingerprint = fingerprint });
        }

        var parts = project.RepositoryFullName.Split('/');
        var values = new Dictionary<string, (string, string)>
        {
            ["projectid"] = (project.ProjectId, PublicIds.NewProjectId()),
            ["owner"] = (parts[0], "nobody" + Guid.NewGuid().ToString("N")[..10]),
            ["repo"] = (parts[1], "nothing-" + Guid.NewGuid().ToString("N")[..8]),
            ["incidentid"] = (incidentId, PublicIds.NewIncidentId(DateTimeOffset.UtcNow)),
            ["fingerprint"] = (fingerprint, new string('0', 64)),
        };
        return values;
    }

    private static IEnumerable<(string Method, RoutePattern Pattern)> Routes(FaultlineFactory factory)
    {
        _ = factory.CreateClient(); // builds the pipeline, so every data source is populated
        return factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, e.RoutePattern)))
            .DistinctBy(r => Key(r.m, r.RoutePattern))
            .ToList();
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is not ("GET" or "HEAD" or "DELETE" or "OPTIONS"))
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, Cancel);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancel));
    }

    private static string Path(RoutePattern pattern, Dictionary<string, (string Victim, string Nonexistent)> values, bool nonexistent) =>
        Render(pattern, parameter => Uri.EscapeDataString(nonexistent ? values[Normalize(parameter.Name)].Nonexistent : values[Normalize(parameter.Name)].Victim));

    /// <summary>"GET /api/v1/projects/{projectid}": parameter names normalized, constraints and trailing slash dropped.</summary>
    private static string Key(string method, RoutePattern pattern) =>
        method + " " + Render(pattern, parameter => "{" + Normalize(parameter.Name) + "}");

    private static string Render(RoutePattern pattern, Func<RoutePatternParameterPart, string> parameter) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart value => parameter(value),
            _ => string.Empty,
        }))));

    private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    private static Dictionary<string, string> Keyed(Dictionary<string, string> routes) =>
        routes.ToDictionary(r => Key(r.Key.Split(' ')[0], RoutePatternFactory.Parse(r.Key.Split(' ')[1])), r => r.Value);

    private static string WithoutTraceId(string body)
    {
        if (string.IsNullOrWhiteSpace(body) || JsonNode.Parse(body) is not JsonObject json)
        {
            return body;
        }

        json.Remove("trace_id");
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
