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

        // Tokens come back at 5 a second, so on a slow machine a request or two may still pass.
        var accepted = 5;
        HttpResponseMessage limited;
        while ((limited = await PostNativeAsync(project.IngestKey, Incident())).StatusCode == HttpStatusCode.Created && accepted < 30)
        {
            accepted++;
        }

        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(accepted, (await IncidentsOfAsync(project)).Count);
        Assert.Equal(HttpStatusCode.Created, (await PostNativeAsync(other.IngestKey, Incident())).StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(1.1), Cancel);
        Assert.Equal(HttpStatusCode.Created, (await PostNativeAsync(project.IngestKey, Incident())).StatusCode);
    }

    [Fact]
    public async Task Envelope_OverTheRate_Returns429WithSentryRateLimitsHeader()
    {
        var project = await NewProjectAsync();
        var envelope = "{}\n{\"type\":\"event\"}\n" + $$$"""{"release":"{{{Sha}}}","exception":{"values":[{"type":"Error","value":"x"}]}}""";

        var accepted = 0;
        HttpResponseMessage response;
        while ((response = await Client.PostAsync($"/api/{project.ProjectNumber}/envelope/?sentry_key={project.IngestKey}", new StringContent(envelope), Cancel)).StatusCode == HttpStatusCode.OK
            && accepted < 30)
        {
            accepted++;
        }

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.InRange(accepted, 5, 29);
        Assert.Matches("^[0-9]+::key$", response.Headers.GetValues("X-Sentry-Rate-Limits").Single());
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(accepted, (await IncidentsOfAsync(project)).Count);
    }
}
