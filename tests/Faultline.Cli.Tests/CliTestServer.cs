using System.Net;
using Dapper;
using Faultline.Contracts;
using Faultline.Testing;
using Faultline.Testing.Incidents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Faultline.Cli.Tests;

/// <summary>
/// The real server (incidents endpoints, problem details, database) listening on a loopback port
/// for the CLI process. Until the identity work lands on main, the authentication and project
/// endpoints are stand-ins that follow API.md: tokens are <c>test-{user id}</c> (see
/// TestAuthentication), refresh tokens <c>rt-{user id}</c>. Follow-up: run ServerProcess with
/// TestAccounts instead once sessions exist.
/// </summary>
internal sealed class CliTestServer(string database, Guid userId) : FaultlineFactory(database)
{
    private int polls;

    public Guid UserId { get; } = userId;

    public string Database { get; } = database;

    /// <summary>"local" or "github" (device flow).</summary>
    public string Mode { get; set; } = "local";

    public int RefreshCount;
    public int RevokeCount;

    public static async Task<CliTestServer> StartAsync(string connectionString)
    {
        var server = new CliTestServer(connectionString, await TestData.CreateUserAsync(connectionString, "octocat"));
        server.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        server.StartServer();
        return server;
    }

    public string Url => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

    public string AccessToken => TestAuthentication.TokenFor(UserId);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseTestAuthentication();
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new StandIns(this)));
    }

    private TokenPair Tokens(int expiresIn = 3600) => new(AccessToken, $"rt-{UserId:N}", "Bearer", expiresIn);

    private sealed class StandIns(CliTestServer server) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.UseEndpoints(endpoints =>
            {
                var json = ClientJsonContext.Default;
                endpoints.MapGet("/api/v1/auth/config", () => Results.Json(new AuthConfig(server.Mode, "https://github.com"), json.AuthConfig));
                endpoints.MapPost("/api/v1/auth/local", () => Results.Json(server.Tokens(), json.TokenPair));
                endpoints.MapPost("/api/v1/auth/device/start", () =>
                    Results.Json(new DeviceAuthorization("device-1", "ABCD-1234", "https://github.com/login/device", 60, 1), json.DeviceAuthorization));
                endpoints.MapPost("/api/v1/auth/device/poll", () => Interlocked.Increment(ref server.polls) == 1
                    ? Results.Json(new Problem(null, null, 400, null, Error: "authorization_pending"), json.Problem, statusCode: 400)
                    : Results.Json(server.Tokens(), json.TokenPair));
                endpoints.MapPost("/api/v1/auth/refresh", (HttpRequest request) =>
                {
                    Interlocked.Increment(ref server.RefreshCount);
                    return Results.Json(server.Tokens(), json.TokenPair);
                });
                endpoints.MapPost("/api/v1/auth/revoke", () =>
                {
                    Interlocked.Increment(ref server.RevokeCount);
                    return Results.NoContent();
                }).RequireAuthorization("user");
                endpoints.MapGet("/api/v1/me", () => Results.Json(new UserProfile("octocat", null, null), json.UserProfile)).RequireAuthorization("user");
                endpoints.MapGet("/api/v1/projects", async () =>
                {
                    await using var connection = new NpgsqlConnection(server.Database);
                    var projects = await connection.QueryAsync<(string, int, string, string, string, string, DateTime)>(
                        "SELECT project_id, project_number, repo_full_name, repo_owner, repo_name, platform, created_at FROM projects WHERE owner_id = @UserId ORDER BY created_at",
                        new { server.UserId });
                    return Results.Json(new ProjectList([.. projects.Select(p => new ProjectResponse(p.Item1, p.Item2, p.Item3, p.Item4, p.Item5, p.Item6, "", "", p.Item7))]), json.ProjectList);
                }).RequireAuthorization("user");
                endpoints.MapPost("/api/v1/projects", async (HttpRequest request) =>
                {
                    var body = await request.ReadFromJsonAsync(json.CreateProjectRequest);
                    var project = await TestData.CreateProjectAsync(server.Database, server.UserId, body!.RepoFullName);
                    var parts = project.RepositoryFullName.Split('/');
                    var dsn = $"{server.Url.Replace("://", $"://{project.IngestKey}@", StringComparison.Ordinal)}/{project.ProjectNumber}";
                    return Results.Json(new ProjectInfo(project.ProjectId, project.ProjectNumber, project.RepositoryFullName, parts[0], parts[1], "vercel", project.IngestKey, dsn, DateTimeOffset.UtcNow), json.ProjectInfo, statusCode: 201);
                }).RequireAuthorization("user");
            });
        };
    }

    /// <summary>A project of this server's user with one incident in it.</summary>
    public async Task<(TestProject Project, string IncidentId)> CreateProjectWithIncidentAsync()
    {
        var project = await TestData.CreateProjectAsync(Database, UserId);
        var incident = await TestIncidents.InsertAsync(Database, project.Id, DateTimeOffset.UtcNow.AddMinutes(-3));
        return (project, incident);
    }
}
