using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faultline.Testing;

namespace Faultline.Server.Tests;

public sealed class HealthTests(TestPostgres postgres)
{
    [Fact]
    public async Task Probes_WithMigratedDatabase_Answer200()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString);
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", TestContext.Current.CancellationToken)).StatusCode);
        var ready = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Readyz_WhenSchemaNotMigrated_Answers503Problem()
    {
        var empty = await postgres.CreateDatabaseAsync("unmigrated");
        await using var factory = new FaultlineFactory(empty);
        var response = await factory.CreateClient().GetAsync("/readyz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Contains("not up to date", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_WhenDatabaseUnreachable_Answers503_AndHealthzStill200()
    {
        await using var factory = new FaultlineFactory("Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=1");
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task UnknownRoute_AnswersProblemJsonWithTraceId()
    {
        await using var factory = new FaultlineFactory(postgres.ConnectionString);
        var response = await factory.CreateClient().GetAsync("/no/such/route", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal(32, problem.GetProperty("trace_id").GetString()!.Length);
    }
}
