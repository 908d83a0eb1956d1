using System.Net;
using Faultline.Testing;

namespace Faultline.Server.Tests.Ingest;

public sealed class RateLimitTests(TestPostgres postgres) : IngestTestBase(postgres)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Faultline:Ingest:RateLimitPerSecond"] = "5" };

    [Fact]
    public async Task PostIncidents_OverThePerKeyRate_Returns429WithRetryAfter_AndOtherKeysStillPass()
    {
        var project = await NewProjectAsync();
        var other = await NewProjectAsync();
        var batch = $$"""{"incidents":[{{string.Join(",", Enumerable.Repeat(Incident(), 5))}}]}""";

        Assert.Equal(HttpStatusCode.Created, (await PostNativeAsync(project.IngestKey, batch)).StatusCode);
        var limited = await PostNativeAsync(project.IngestKey, Incident());

        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(5, (await IncidentsOfAsync(project)).Count);
        Assert.Equal(HttpStatusCode.Created, (await PostNativeAsync(other.IngestKey, Incident())).StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(1.1), Cancel);
        Assert.Equal(HttpStatusCode.Created, (await PostNativeAsync(project.IngestKey, Incident())).StatusCode);
    }
}
