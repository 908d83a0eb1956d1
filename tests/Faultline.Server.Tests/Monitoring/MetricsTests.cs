using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using Faultline.Server.Database;
using Faultline.Server.Monitoring;
using Faultline.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Faultline.Server.Tests.Monitoring;

/// <summary>
/// Runs alone (no other test class at the same time): OpenTelemetry listens to every "Faultline"
/// meter in the process, so a parallel test's ingest would show up in these scrapes.
/// </summary>
[CollectionDefinition(nameof(MonitoringCollection), DisableParallelization = true)]
public sealed class MonitoringCollection;

[Collection(nameof(MonitoringCollection))]
public sealed class MetricsTests(TestPostgres postgres)
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_AfterIngestRejectedKeyQueryAndResolve_ShowEachSeries()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString);
        var client = factory.CreateClient();
        var project = await TestData.CreateProjectAsync(postgres.ConnectionString);
        var environment = "mon-" + Guid.NewGuid().ToString("N")[..12];
        var before = await ScrapeAsync(client);

        var incident = $$"""{"error_message":"boom","stack_trace":"Error: boom\n    at f (/app/src/a.ts:1:2)","commit_sha":"{{Sha}}","environment":"{{environment}}"}""";
        var stored = await PostIncidentAsync(client, project.IngestKey, $$"""{"incidents":[{{incident}},{{incident}}]}""");
        var refused = await PostIncidentAsync(client, "fl_ingest_" + new string('x', 40), incident);
        var ready = await client.GetAsync("/readyz", Cancel);
        // The resolve endpoint is not on this branch yet: observe a resolution as it will.
        factory.Services.GetRequiredService<FaultlineMetrics>().Resolved(TimeSpan.FromMinutes(10));
        var after = await ScrapeAsync(client);

        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        Assert.Equal(2, after.Single("faultline_incidents_ingested_total", ("environment", environment), ("route", "native")));
        Assert.Equal(1, Delta("faultline_ingest_rejected_total", ("reason", "auth"), ("route", "native")));
        Assert.Equal(1, Delta("faultline_auth_failures_total", ("kind", "ingest_key")));

        (string, string)[] readyz = [("http_route", "/readyz"), ("http_request_method", "GET"), ("http_response_status_code", "200")];
        Assert.Equal(1, Delta("http_server_request_duration_seconds_count", readyz));
        var bounds = after.Find("http_server_request_duration_seconds_bucket", readyz).Select(s => s.Labels["le"]).ToHashSet();
        Assert.Superset(new HashSet<string> { "0.0005", "0.001", "0.0025", "0.005", "0.01", "10", "+Inf" }, bounds);
        Assert.Empty(after.Find("http_server_request_duration_seconds_count", ("http_route", "/metrics")));

        Assert.Equal(1, Delta("faultline_incident_resolution_duration_seconds_count"));
        Assert.Equal(600, Delta("faultline_incident_resolution_duration_seconds_sum"), 3);
        Assert.Equal(0, Delta("faultline_incident_resolution_duration_seconds_bucket", ("le", "300")));
        Assert.Equal(1, Delta("faultline_incident_resolution_duration_seconds_bucket", ("le", "900")));

        Assert.Equal(1, after.Single("faultline_ready"));
        Assert.True(after.Has("faultline_ingest_keys_stale"));
        Assert.True(after.Has("dotnet_gc_collections_total"), "runtime instrumentation");
        Assert.True(after.Sum("db_client_operation_duration_seconds_count") > 0, "Npgsql instrumentation");

        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
    }

    [Fact]
    public async Task StaleKeysGauge_CountsKeysUnusedForStaleKeyDays_ReadFreshOnEachScrape()
    {
        var connectionString = await MigratedDatabaseAsync();
        await TestData.CreateProjectAsync(connectionString); // used just now (its usage row's default)
        var unused40Days = await TestData.CreateProjectAsync(connectionString);
        var neverUsedOld = await TestData.CreateProjectAsync(connectionString);
        var neverUsedNew = await TestData.CreateProjectAsync(connectionString);
        var unused20Days = await TestData.CreateProjectAsync(connectionString);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.ExecuteAsync(
                """
                UPDATE api_key_usage SET last_used_at = now() - interval '40 days' WHERE project_id = @Unused40;
                UPDATE api_key_usage SET last_used_at = now() - interval '20 days' WHERE project_id = @Unused20;
                UPDATE projects SET created_at = now() - interval '60 days' WHERE id = @NeverOld;
                UPDATE api_key_usage SET last_used_at = NULL WHERE project_id = @NeverOld;
                DELETE FROM api_key_usage WHERE project_id = @NeverNew;
                """,
                new { Unused40 = unused40Days.Id, Unused20 = unused20Days.Id, NeverOld = neverUsedOld.Id, NeverNew = neverUsedNew.Id });
        }

        await using var factory = new FaultlineFactory(connectionString);
        var client = factory.CreateClient();
        Assert.Equal(2, (await ScrapeAsync(client)).Single("faultline_ingest_keys_stale"));

        var incident = $$"""{"error_message":"boom","commit_sha":"{{Sha}}"}""";
        Assert.Equal(HttpStatusCode.Created, (await PostIncidentAsync(client, unused40Days.IngestKey, incident)).StatusCode);
        Assert.Equal(1, (await ScrapeAsync(client)).Single("faultline_ingest_keys_stale"));

        await using var tenDays = new FaultlineFactory(connectionString, new Dictionary<string, string?> { ["Faultline:Monitoring:StaleKeyDays"] = "10" });
        Assert.Equal(2, (await ScrapeAsync(tenDays.CreateClient())).Single("faultline_ingest_keys_stale"));
    }

    [Fact]
    public async Task StaleKeysGauge_WhenItsQueryIsBlocked_IsLeftOutAfterTheTimeoutWithAWarning()
    {
        var connectionString = await MigratedDatabaseAsync();
        var logs = new CapturedLogs();
        await using var factory = new FaultlineFactory(connectionString, new Dictionary<string, string?> { ["Faultline:Monitoring:DatabaseTimeout"] = "00:00:00.5" });
        await using var withLogs = factory.WithWebHostBuilder(host => host.ConfigureLogging(logging => logging.AddProvider(logs)));
        var client = withLogs.CreateClient();
        Assert.True((await ScrapeAsync(client)).Has("faultline_ingest_keys_stale"));

        // A migration or a runaway transaction holding the table: the count waits on the lock.
        await using var blocker = new NpgsqlConnection(connectionString);
        await blocker.OpenAsync(Cancel);
        await using var transaction = await blocker.BeginTransactionAsync(Cancel);
        await blocker.ExecuteAsync("LOCK TABLE api_key_usage IN ACCESS EXCLUSIVE MODE", transaction: transaction);

        var clock = Stopwatch.StartNew();
        var blocked = await ScrapeAsync(client);
        clock.Stop();

        Assert.False(blocked.Has("faultline_ingest_keys_stale"));
        Assert.Equal(1, blocked.Single("faultline_ready"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The scrape took {clock.Elapsed}.");
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("faultline_ingest_keys_stale", StringComparison.Ordinal) && l.Contains("took longer than", StringComparison.Ordinal));

        await transaction.RollbackAsync(Cancel);
        Assert.Equal(0, (await ScrapeAsync(client)).Single("faultline_ingest_keys_stale"));
    }

    [Fact]
    public async Task ReadyGauge_WhenDatabaseUnreachable_IsZeroAndStaleKeysLeftOut()
    {
        await using var factory = new FaultlineFactory("Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=1");
        var scrape = await ScrapeAsync(factory.CreateClient());

        Assert.Equal(0, scrape.Single("faultline_ready"));
        Assert.False(scrape.Has("faultline_ingest_keys_stale"));
    }

    [Fact]
    public async Task Metrics_WithMetricsToken_RequiresThatBearerToken()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString, new Dictionary<string, string?> { ["Faultline:Monitoring:MetricsToken"] = "scrape-secret" });
        var client = factory.CreateClient();

        var anonymous = await client.GetAsync("/metrics", Cancel);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "scrape-secreT") } };
        var wrongToken = await client.SendAsync(wrong, Cancel);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "scrape-secret");
        var scrape = await ScrapeAsync(client);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.Equal(2, scrape.Single("faultline_auth_failures_total", ("kind", "metrics_token")));
    }

    internal static async Task<PrometheusText> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync(Cancel));
    }

    internal static Task<HttpResponseMessage> PostIncidentAsync(HttpClient client, string key, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client.SendAsync(request, Cancel);
    }

    /// <summary>A database of its own, so its stale-key count is exactly what the test made.</summary>
    private async Task<string> MigratedDatabaseAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync("monitoring");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new Migrator(dataSource, NullLogger<Migrator>.Instance).UpAsync(Cancel);
        return connectionString;
    }
}
