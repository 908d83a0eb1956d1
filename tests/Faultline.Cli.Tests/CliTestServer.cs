using System.Net;
using System.Net.Http.Headers;
using Dapper;
using Faultline.Core.Identifiers;
using Faultline.Testing;
using Faultline.Testing.Incidents;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Faultline.Cli.Tests;

/// <summary>
/// The real server, unchanged, listening on a loopback port for the CLI process. Without settings it
/// runs in local mode (no GitHub app, loopback only), so <c>faultline login</c> signs in through the
/// real <c>POST /api/v1/auth/local</c> as the machine's local account; with
/// <see cref="FakeGitHub.Settings"/> it runs the device flow against that GitHub. With
/// <c>fakeTime</c> the server's clock is <see cref="FaultlineFactory.Time"/>, so a test can let an
/// access token expire on the server; the device flow needs the real clock, as the CLI waits the
/// polling interval in real time and the server checks it on its own clock.
/// </summary>
internal sealed class CliTestServer(string database, IReadOnlyDictionary<string, string?>? settings)
    : FaultlineFactory(database, settings)
{
    public string Database { get; } = database;

    public string Url => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

    public static CliTestServer Start(string connectionString, IReadOnlyDictionary<string, string?>? settings = null, bool fakeTime = true)
    {
        var server = new CliTestServer(connectionString, settings) { UseFakeTime = fakeTime };
        server.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        server.StartServer();
        return server;
    }

    /// <summary>How the server answers <c>GET /api/v1/me</c> with <paramref name="accessToken"/>: 200 for a live session, 401 otherwise.</summary>
    public async Task<HttpStatusCode> MeStatusAsync(string accessToken)
    {
        using var client = new HttpClient { BaseAddress = new Uri(Url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await client.GetAsync("/api/v1/me", TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>The local account (GitHub id 0) that <c>faultline login</c> signs in as; it exists after the first local sign-in.</summary>
    public async Task<Guid> LocalUserIdAsync()
    {
        await using var connection = new NpgsqlConnection(Database);
        return await connection.QuerySingleAsync<Guid>("SELECT id FROM users WHERE github_id = 0");
    }

    /// <summary>How many refresh tokens the session holding <paramref name="accessToken"/> has had: 1 + the refreshes.</summary>
    public async Task<int> RefreshTokenCountAsync(string accessToken)
    {
        await using var connection = new NpgsqlConnection(Database);
        return await connection.QuerySingleAsync<int>(
            """
            SELECT count(*)::int FROM session_refresh_tokens rt JOIN sessions s ON s.id = rt.session_id
            WHERE s.access_token_hash = @Hash
            """,
            new { Hash = SecretToken.Hash(accessToken) });
    }

    /// <summary>A project of the local account with one incident in it (sign in with <c>faultline login</c> first).</summary>
    public async Task<(TestProject Project, string IncidentId)> CreateProjectWithIncidentAsync()
    {
        var project = await TestData.CreateProjectAsync(Database, await LocalUserIdAsync());
        var incident = await TestIncidents.InsertAsync(Database, project.Id, DateTimeOffset.UtcNow.AddMinutes(-3));
        return (project, incident);
    }
}
