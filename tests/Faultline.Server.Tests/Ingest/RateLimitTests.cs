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

    [Fact]
    public async Task Envelope_OverTheRate_Returns429WithSentryRateLimitsHeader()
    {
        var project = await NewProjectAsync();
        var envelope = "{}\n{\"type\":\"event\"}\n" + $$$"""{"release":"{{{Sha}}}","exception":{"values":[{"type":"Error","value":"x"}]}}""";

        HttpResponseMessage response = null!;
        for (var i = 0; i < 7; i++)
        {
            response = await Client.PostAsync($"/api/{project.ProjectNumber}/envelope/?sentry_key={project.IngestKey}", new StringContent(envelope), Cancel);
        }

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Matches("^[0-9]+::key$", response.Headers.GetValues("X-Sentry-Rate-Limits").Single());
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(5, (await IncidentsOfAsync(project)).Count);
    }
}
