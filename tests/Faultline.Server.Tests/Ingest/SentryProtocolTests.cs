using System.Net;
using System.Text;
using System.Text.Json;
using Faultline.Testing;

namespace Faultline.Server.Tests.Ingest;

/// <summary>The Sentry protocol's variants, on hand-made envelopes (the fixtures cover what real SDKs send).</summary>
public sealed class SentryProtocolTests(TestPostgres postgres) : IngestTestBase(postgres)
{
    private static string Event(object? overrides = null)
    {
        var fields = new Dictionary<string, object?>
        {
            ["event_id"] = Guid.NewGuid().ToString("N"),
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
            ["platform"] = "node",
            ["release"] = Sha,
            ["environment"] = "production",
            ["exception"] = new
            {
                values = new[]
                {
                    new
                    {
                        type = "TypeError",
                        value = "x is undefined",
                        stacktrace = new { frames = new object[]
                        {
                            new { filename = "/var/task/node_modules/next/dist/server/base-server.js", lineno = 10, colno = 2, function = "render", in_app = false },
                            new { filename = "/var/task/src/app/page.tsx", abs_path = "/var/task/src/app/page.tsx", lineno = 31, colno = 9, function = "Page", in_app = true },
                        } },
                    },
                },
            },
        };
        if (overrides is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(overrides).EnumerateObject())
            {
                fields[property.Name] = property.Value;
            }
        }

        return JsonSerializer.Serialize(fields);
    }

    private static byte[] Envelope(string header, params (string Header, byte[] Payload)[] items)
    {
        using var stream = new MemoryStream();
        stream.Write(Encoding.UTF8.GetBytes(header + "\n"));
        foreach (var (itemHeader, payload) in items)
        {
            stream.Write(Encoding.UTF8.GetBytes(itemHeader + "\n"));
            stream.Write(payload);
            stream.Write("\n"u8);
        }

        return stream.ToArray();
    }

    private Task<HttpResponseMessage> PostEnvelopeAsync(string path, byte[] body, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-sentry-envelope");
        configure?.Invoke(request);
        return Client.SendAsync(request, Cancel);
    }

    [Theory]
    [InlineData("x-sentry-auth-comma")]
    [InlineData("x-sentry-auth-comma-space")]
    [InlineData("authorization")]
    [InlineData("query")]
    [InlineData("dsn")]
    public async Task Envelope_WithEachAuthForm_IsStored(string form)
    {
        var project = await NewProjectAsync();
        var eventId = Guid.NewGuid().ToString("N");
        var header = form == "dsn"
            ? $$"""{"event_id":"{{eventId}}","dsn":"http://{{project.IngestKey}}@localhost/{{project.ProjectNumber}}"}"""
            : $$"""{"event_id":"{{eventId}}"}""";
        var body = Envelope(header, ("{\"type\":\"event\"}", Encoding.UTF8.GetBytes(Event())));
        var path = form == "query" ? $"/api/{project.ProjectNumber}/envelope/?sentry_key={project.IngestKey}&sentry_version=7" : $"/api/{project.ProjectNumber}/envelope/";

        var response = await PostEnvelopeAsync(path, body, request =>
        {
            switch (form)
            {
                case "x-sentry-auth-comma":
                    request.Headers.TryAddWithoutValidation("X-Sentry-Auth", $"Sentry sentry_version=7,sentry_client=test/1.0,sentry_key={project.IngestKey}");
                    break;
                case "x-sentry-auth-comma-space":
                    request.Headers.TryAddWithoutValidation("X-Sentry-Auth", $"Sentry sentry_version=7, sentry_key={project.IngestKey}, sentry_client=test/1.0");
                    break;
                case "authorization":
                    request.Headers.TryAddWithoutValidation("Authorization", $"Sentry sentry_key={project.IngestKey}, sentry_version=7");
                    break;
            }
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(eventId, (await JsonAsync(response)).GetProperty("id").GetString());
        var stored = Assert.Single(await IncidentsOfAsync(project));
        Assert.Equal("src/app/page.tsx", stored.FilePath);
        Assert.Equal(31, stored.LineNumber);
        Assert.Equal("TypeError", stored.ErrorType);
        Assert.Equal("x is undefined", stored.ErrorMessage);
        Assert.Contains("at Page (/var/task/src/app/page.tsx:31:9)", stored.StackTrace, StringComparison.Ordinal);
        var frames = stored.MetadataJson.GetProperty("frames");
        Assert.False(frames[0].GetProperty("in_app").GetBoolean());
        Assert.Equal("node", stored.MetadataJson.GetProperty("sentry").GetProperty("platform").GetString());
    }

    [Fact]
    public async Task Envelope_WithNoAuthAtAll_Returns403_AndWithAnotherProjectsKey_Returns401()
    {
        var project = await NewProjectAsync();
        var other = await NewProjectAsync();
        var body = Envelope("{}", ("{\"type\":\"event\"}", Encoding.UTF8.GetBytes(Event())));

        var anonymous = await PostEnvelopeAsync($"/api/{project.ProjectNumber}/envelope/", body);
        var wrongProject = await PostEnvelopeAsync($"/api/{project.ProjectNumber}/envelope/?sentry_key={other.IngestKey}", body);
        var unknown = await PostEnvelopeAsync($"/api/{project.ProjectNumber}/envelope/?sentry_key=fl_ingest_nope", body);

        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongProject.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Empty(await IncidentsOfAsync(project));
        Assert.Empty(await IncidentsOfAsync(other));
    }

    [Fact]
    public async Task Envelope_HeaderEventId_WinsOverTheItems()
    {
        var project = await NewProjectAsync();
        var headerId = Guid.NewGuid().ToString("N");
        var body = Envelope($$"""{"event_id":"{{headerId}}"}""", ("{\"type\":\"event\"}", Encoding.UTF8.GetBytes(Event(new { event_id = Guid.NewGuid().ToString("N") }))));

        var response = await PostEnvelopeAsync($"/api/{project.ProjectNumber}/envelope/?sentry_key={project.IngestKey}", body);

        Assert.Equal(headerId, (await JsonAsync(response)).GetProperty("id").GetString());
        Assert.Equal(Guid.ParseExact(headerId, "N"), Assert.Single(await IncidentsOfAsync(project)).EventId);
    }

    [Fact]
    public async Task Envelope_WithLengthsUnknownItemsAndBinaryAttachment_StoresOnlyTheEvent()
    {
        var project = await NewProjectAsync();
        var eventBytes = Encoding.UTF8.GetBytes(Event());
        byte[] attachment = [0xFF, 0x00, 0x0A, 0xFE, 0x0A, 0x0A];
        var body = Envelope("{}",
            ($$"""{"type":"attachment","length":{{attachment.Length}},"filename":"dump.bin"}""", attachment),
            ("{\"type\":\"session\"}", "{\"sid\":\"x\",\"status\":\"ok\"}"u8.ToArray()),
            ($$"""{"type":"event","length":{{eventBytes.Length}}}""", eventBytes),
            ("{\"type\":\"replay_event\"}", "{}"u8.ToArray()));

        var response = await PostEnvelopeAsync($"/api/{project.ProjectNumber}/envelope/?sentry_key={project.IngestKey}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await IncidentsOfAsync(project));
    }

    [Fact]
    public async Task Envelope_WithTenThousandTinyItems_IsAnsweredWithoutError()
    {
        var project = await NewProjectAsync();
        var items = Enumerable.Range(0, 10_000).Select(_ => ("{\"type\":\"client_report\"}", "{}"u8.ToArray())).ToArray();

        var response = await PostEnvelopeAsync($"/api/{project.ProjectNumber}/envelope/?sentry_key={project.IngestKey}", Envelope("{}", items));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await IncidentsOfAsync(project));
    }

    [Theory]
    [InlineData("{\"type\":\"event\",\"length\":999999}")]
    [InlineData("not json")]
    public async Task Envelope_Malformed_Returns400(string itemHeader)
    {
        var project = await NewProjectAsync();

        var response = await PostEnvelopeAsync($"/api/{project.ProjectNumber}/envelope/?sentry_key={project.IngestKey}", Envelope("{}", (itemHeader, "{}"u8.ToArray())));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Envelope_WithoutCommitAnywhere_Returns400TellingToSetTheRelease()
    {
        var project = await NewProjectAsync();
        var body = Envelope("{}", ("{\"type\":\"event\"}", Encoding.UTF8.GetBytes(Event(new { release = "my-app@1.4.2" }))));

        var response = await PostEnvelopeAsync($"/api/{project.ProjectNumber}/envelope/?sentry_key={project.IngestKey}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("release to the deployed commit", (await JsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await IncidentsOfAsync(project));
    }

    public static TheoryData<string, string, string, string?> CommitSources => new()
    {
        // event overrides (JSON), expected commit, environment, deployment
        { $$"""{"release":"web@{{Sha.ToUpperInvariant()}}"}""", Sha, "production", null },
        { $$"""{"release":"1.0.0","tags":{"commit_sha":"{{Sha}}","deployment_id":"dep-9"},"environment":"vercel-preview"}""", Sha, "preview", "dep-9" },
        { $$"""{"release":null,"tags":[["vercel.git_commit_sha","{{Sha}}"],["vercel.deployment_id","dpl_abc"]],"environment":"vercel-production"}""", Sha, "production", "dpl_abc" },
    };

    [Theory]
    [MemberData(nameof(CommitSources))]
    public async Task Envelope_TakesCommitDeploymentAndEnvironment_FromReleaseOrTags(string overrides, string commit, string environment, string? deployment)
    {
        var project = await NewProjectAsync();
        var body = Envelope("{}", ("{\"type\":\"event\"}", Encoding.UTF8.GetBytes(Event(JsonDocument.Parse(overrides).RootElement))));

        var response = await PostEnvelopeAsync($"/api/{project.ProjectNumber}/envelope/?sentry_key={project.IngestKey}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single(await IncidentsOfAsync(project));
        Assert.Equal((commit, environment, deployment), (stored.CommitSha, stored.Environment, stored.DeploymentId));
    }

    [Theory]
    [InlineData("1795567088.399", "2026-11-25T00:38:08.399Z")]
    [InlineData("\"2026-11-25T00:38:20.7651116+00:00\"", "2026-11-25T00:38:20.765Z")]
    public async Task Store_WithFloatOrRfc3339Timestamp_KeepsTheTime(string timestamp, string expected)
    {
        var project = await NewProjectAsync();
        var json = Event(new { timestamp = JsonDocument.Parse(timestamp).RootElement });

        var response = await Client.PostAsync($"/api/{project.ProjectNumber}/store/?sentry_key={project.IngestKey}", new StringContent(json, Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single(await IncidentsOfAsync(project));
        var expectedTime = DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.Equal(expectedTime, stored.OccurredAt, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Preflight_FromABrowser_IsAllowed_AndResponsesCarryCorsHeaders()
    {
        var project = await NewProjectAsync();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, $"/api/{project.ProjectNumber}/envelope/");
        preflight.Headers.Add("Origin", "https://shop.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type, x-sentry-auth");

        var answer = await Client.SendAsync(preflight, Cancel);

        Assert.True(answer.IsSuccessStatusCode, answer.StatusCode.ToString());
        Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", answer.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);

        var post = await PostEnvelopeAsync($"/api/{project.ProjectNumber}/envelope/?sentry_key={project.IngestKey}",
            Envelope("{}", ("{\"type\":\"event\"}", Encoding.UTF8.GetBytes(Event()))), r => r.Headers.Add("Origin", "https://shop.example.com"));
        Assert.Equal("*", post.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
