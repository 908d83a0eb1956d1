using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Faultline.Server.Database;
using Faultline.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Faultline.Server.Tests.Ingest;

/// <summary>PostgreSQL going away and coming back, on a cluster of this test's own.</summary>
public sealed class IngestOutageTests : IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "flout-" + Guid.NewGuid().ToString("N")[..8]);
    private EmbeddedPostgres postgres = null!;
    private FaultlineFactory factory = null!;
    private TestProject project = null!;

    public async ValueTask InitializeAsync()
    {
        postgres = await Task.Run(() => EmbeddedPostgres.Start(directory, NullLogger.Instance));
        await using (var dataSource = NpgsqlDataSource.Create(postgres.ConnectionString))
        {
            await new Migrator(dataSource, NullLogger<Migrator>.Instance).UpAsync(CancellationToken.None);
        }

        project = await TestData.CreateProjectAsync(postgres.ConnectionString);
        factory = new FaultlineFactory(postgres.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await factory.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        postgres.Stop();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Ingest_WhileDatabaseIsDown_Answers503WithRetryAfter_AndRecoversWhenItReturns()
    {
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client)).StatusCode);

        await Task.Run(postgres.Stop, TestContext.Current.CancellationToken);
        foreach (var _ in Enumerable.Range(0, 3))
        {
            var down = await SendAsync(client);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.NotNull(down.Headers.RetryAfter);
            Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        }

        var sentry = await client.PostAsync($"/api/{project.ProjectNumber}/envelope/?sentry_key={project.IngestKey}",
            new StringContent($"{{}}\n{{\"type\":\"event\"}}\n{{\"release\":\"{IngestTestBase.Sha}\",\"message\":\"down\"}}"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, sentry.StatusCode);
        Assert.NotNull(sentry.Headers.RetryAfter);

        postgres = await Task.Run(() => EmbeddedPostgres.Start(directory, NullLogger.Instance), TestContext.Current.CancellationToken);
        var recovered = false;
        for (var attempt = 0; attempt < 50 && !recovered; attempt++)
        {
            var response = await SendAsync(client);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, response.StatusCode.ToString());
            recovered = response.StatusCode == HttpStatusCode.Created;
            if (!recovered)
            {
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }

        Assert.True(recovered, "ingest did not recover within 10 s of the database's return");
    }

    private Task<HttpResponseMessage> SendAsync(HttpClient client)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents")
        {
            Content = new StringContent($"{{\"error_message\":\"x\",\"commit_sha\":\"{IngestTestBase.Sha}\"}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", project.IngestKey);
        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
