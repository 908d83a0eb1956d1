using System.Net;
using System.Text.Json;
using Dapper;
using Faultline.Server.Database;
using Faultline.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Faultline.Server.Tests.Ingest;

/// <summary>
/// Replays the requests real Sentry SDKs sent (shared/fixtures/sentry): same path, query, headers
/// and body bytes, against a project with the fixtures' DSN (key and project number 42).
/// </summary>
public sealed class SentryFixtureTests(TestPostgres postgres) : IAsyncLifetime
{
    public const string FixtureKey = "fl_ingest_4f9aZk27QmXc81LpRt6bY0sWnE3uHdVj";
    private string connectionString = string.Empty;
    private FaultlineFactory factory = null!;

    /// <summary>A copy of shared/fixtures/sentry kept with the tests, so a clone runs them on its own.</summary>
    public static string FixtureDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "sentry");

    public static TheoryData<string, int, string?, int?> Fixtures => new()
    {
        // name, status, expected file path, expected line
        { "node-11.12.0-captureException", 200, "src/handlers/checkout.js", 8 },
        { "node-11.12.0-captureException-gzip", 200, "src/handlers/checkout.js", 8 },
        { "node-11.12.0-uncaught", 200, "src/handlers/checkout.js", 8 },
        { "node-11.12.0-project-42abc", 200, "src/handlers/checkout.js", 8 },
        { "node-11.12.0-captureException-session", 200, null, null },
        { "node-11.12.0-uncaught-session", 200, null, null },
        { "node-11.12.0-client-report", 200, null, null },
        { "dotnet-6.12.1-captureException", 200, "src/Shop/Handlers/Checkout.cs", 22 },
        { "dotnet-6.12.1-uncaught", 200, "src/Shop/Handlers/Checkout.cs", 22 },
        { "dotnet-6.12.1-captureException-autosession", 200, "src/Shop/Handlers/Checkout.cs", 22 },
        { "dotnet-6.12.1-captureException-autosession-session", 200, null, null },
        { "dotnet-6.12.1-client-report", 200, null, null },
        // The key with hyphens is not any project's key; the non-numeric project part is not this project's id.
        { "dotnet-6.12.1-key-with-hyphens", 401, null, null },
        { "dotnet-6.12.1-project-nonnumeric", 401, null, null },
    };

    public async ValueTask InitializeAsync()
    {
        connectionString = await postgres.CreateDatabaseAsync("fixtures");
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new Migrator(dataSource, NullLogger<Migrator>.Instance).UpAsync(CancellationToken.None);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        var owner = await TestData.CreateUserAsync(connectionString);
        await connection.ExecuteAsync(
            """
            INSERT INTO projects (project_id, owner_id, repo_owner, repo_name, repo_full_name, ingest_api_key, project_number)
            VALUES ('proj_fixturefixtu', @Owner, 'acme', 'shop', 'acme/shop', @Key, 42);
            INSERT INTO api_key_usage (project_id, key_type, usage_count) SELECT id, 'ingest', 0 FROM projects;
            """, new { Owner = owner, Key = FixtureKey });
        factory = new FaultlineFactory(connectionString);
    }

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Replay_RealSdkRequest_IsAnsweredAndStoredAtTheRepositoryLine(string name, int status, string? filePath, int? line)
    {
        var fixture = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(FixtureDirectory, name + ".request.json"), TestContext.Current.CancellationToken)).RootElement;
        var body = await File.ReadAllBytesAsync(Path.Combine(FixtureDirectory, fixture.GetProperty("body_file").GetString()!), TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.GetProperty("target").GetString()) { Content = new ByteArrayContent(body) };
        foreach (var header in fixture.GetProperty("headers").EnumerateArray())
        {
            var (headerName, value) = (header[0].GetString()!, header[1].GetString()!);
            if (headerName.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase) || headerName.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.TryAddWithoutValidation(headerName, value);
            }
            else if (headerName is not ("Host" or "Content-Length" or "Transfer-Encoding" or "Connection"))
            {
                request.Headers.TryAddWithoutValidation(headerName, value);
            }
        }

        var response = await factory.CreateClient().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(status, (int)response.StatusCode);
        await using var connection = new NpgsqlConnection(connectionString);
        if (fixture.TryGetProperty("event_id", out var eventIdElement) && eventIdElement.GetString() is { } eventId && status == 200)
        {
            var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
            Assert.Equal(eventId, answer.GetProperty("id").GetString());
            var stored = await connection.QuerySingleOrDefaultAsync<(string FilePath, int Line, string Commit, string Environment, string Deployment)>(
                "SELECT file_path, line_number, commit_sha, environment, deployment_id FROM incidents WHERE event_id = @Id",
                new { Id = Guid.ParseExact(eventId, "N") });
            Assert.Equal(filePath, stored.FilePath);
            Assert.Equal(line, stored.Line);
            Assert.Equal("0123456789abcdef0123456789abcdef01234567", stored.Commit);
            Assert.Equal("production", stored.Environment);
            // The uncaught .NET crash is sent before the scope's tags are applied: it has no deployment id.
            var decoded = Path.Combine(FixtureDirectory, name + ".body.decoded");
            var envelope = await File.ReadAllTextAsync(File.Exists(decoded) ? decoded : Path.Combine(FixtureDirectory, name + ".body"), TestContext.Current.CancellationToken);
            Assert.Equal(envelope.Contains("\"vercel.deployment_id\":\"dpl_8fJ2kQz\"", StringComparison.Ordinal) ? "dpl_8fJ2kQz" : null, stored.Deployment);
        }
        else if (status == 200)
        {
            var items = fixture.GetProperty("envelope_item_types").EnumerateArray().Select(e => e.GetString()).ToList();
            Assert.DoesNotContain("event", items);
        }
    }

    [Fact]
    public async Task Replay_SameEnvelopeTwice_StoresOneIncident()
    {
        var body = await File.ReadAllBytesAsync(Path.Combine(FixtureDirectory, "node-11.12.0-uncaught.body"), TestContext.Current.CancellationToken);
        var client = factory.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            var response = await client.PostAsync($"/api/42/envelope/?sentry_key={FixtureKey}", new ByteArrayContent(body), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM incidents WHERE event_id = 'eb78fb04-4aca-41b4-a730-e4eeab23f2d0'"));
    }

    [Fact]
    public async Task Replay_SessionEnvelope_CountsTheKeyUse()
    {
        var body = await File.ReadAllBytesAsync(Path.Combine(FixtureDirectory, "node-11.12.0-client-report.body"), TestContext.Current.CancellationToken);
        await using var connection = new NpgsqlConnection(connectionString);
        var before = await connection.ExecuteScalarAsync<long>("SELECT usage_count FROM api_key_usage");

        var response = await factory.CreateClient().PostAsync($"/api/42/envelope/?sentry_key={FixtureKey}", new ByteArrayContent(body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 1, await connection.ExecuteScalarAsync<long>("SELECT usage_count FROM api_key_usage"));
    }
}
