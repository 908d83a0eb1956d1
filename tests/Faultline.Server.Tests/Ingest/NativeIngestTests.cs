using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Faultline.Testing;

namespace Faultline.Server.Tests.Ingest;

public sealed class NativeIngestTests(TestPostgres postgres) : IngestTestBase(postgres)
{
    [Fact]
    public async Task PostIncidents_WithValidIncident_Returns201AfterStoringItWithLocationAndUsage()
    {
        var project = await NewProjectAsync();

        var response = await PostNativeAsync(project.IngestKey, Incident(new
        {
            commit_sha = Sha.ToUpperInvariant(),
            deployment_id = "dpl_123",
            environment = "Preview",
            occurred_at = "2026-11-25T10:04:05.123Z",
            metadata = new { region = "iad1" },
        }).Replace("2026-11-25T10:04:05.123Z", DateTime.UtcNow.AddMinutes(-1).ToString("O"), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await JsonAsync(response);
        var answered = Assert.Single(body.GetProperty("incidents").EnumerateArray().ToList());
        Assert.False(answered.GetProperty("duplicate").GetBoolean());
        var stored = Assert.Single(await IncidentsOfAsync(project));
        Assert.Equal(answered.GetProperty("incident_id").GetString(), stored.IncidentId);
        Assert.Equal(answered.GetProperty("event_id").GetString(), stored.EventId.ToString("D"));
        Assert.Matches("^inc_[0-9A-Z]{26}$", stored.IncidentId);
        Assert.Equal(Sha, stored.CommitSha);
        Assert.Equal("preview", stored.Environment);
        Assert.Equal("dpl_123", stored.DeploymentId);
        Assert.Equal("open", stored.Status);
        Assert.Equal("src/users.ts", stored.FilePath);
        Assert.Equal(42, stored.LineNumber);
        Assert.Equal(17, stored.ColumnNumber);
        Assert.Equal(64, stored.Fingerprint.Length);
        Assert.Equal("iad1", stored.MetadataJson.GetProperty("region").GetString());
        var (count, lastUsed) = await UsageOfAsync(project);
        Assert.Equal(1, count);
        Assert.NotNull(lastUsed);
    }

    [Fact]
    public async Task PostIncidents_WithBatch_StoresEachInOrder_AndRejectsOver100()
    {
        var project = await NewProjectAsync();
        var batch = $$"""{"incidents":[{{Incident(new { error_message = "one" })}},{{Incident(new { error_message = "two" })}},{{Incident(new { error_message = "three" })}}]}""";

        var response = await PostNativeAsync(project.IngestKey, batch);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var ids = (await JsonAsync(response)).GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("incident_id").GetString()).ToList();
        var stored = await IncidentsOfAsync(project);
        Assert.Equal(["one", "two", "three"], ids.Select(id => stored.Single(s => s.IncidentId == id).ErrorMessage));

        var tooMany = $$"""{"incidents":[{{string.Join(",", Enumerable.Repeat(Incident(), 101))}}]}""";
        var refused = await PostNativeAsync(project.IngestKey, tooMany);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(3, (await IncidentsOfAsync(project)).Count);
    }

    [Fact]
    public async Task PostIncidents_WithSameEventIdAgain_AnswersTheExistingIncident()
    {
        var project = await NewProjectAsync();
        var json = Incident(new { event_id = "8b1c2f3e4d5a4b6c8d7e9f0a1b2c3d4e" });

        var first = await JsonAsync(await PostNativeAsync(project.IngestKey, json));
        var second = await PostNativeAsync(project.IngestKey, json);

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var again = (await JsonAsync(second)).GetProperty("incidents")[0];
        Assert.True(again.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.GetProperty("incidents")[0].GetProperty("incident_id").GetString(), again.GetProperty("incident_id").GetString());
        Assert.Equal("8b1c2f3e4d5a4b6c8d7e9f0a1b2c3d4e", again.GetProperty("event_id").GetString());
        Assert.Single(await IncidentsOfAsync(project));
    }

    [Fact]
    public async Task PostIncidents_WithConcurrentRetriesOfOneEvent_StoresOneRow()
    {
        var project = await NewProjectAsync();
        var json = Incident(new { event_id = Guid.NewGuid().ToString() });
        var clients = Enumerable.Range(0, 8).Select(_ => Factory.CreateClient()).ToList();

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", project.IngestKey);
            var response = await clients[i % clients.Count].SendAsync(request, Cancel);
            return (response.StatusCode, Id: (await JsonAsync(response)).GetProperty("incidents")[0].GetProperty("incident_id").GetString());
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var stored = Assert.Single(await IncidentsOfAsync(project));
        Assert.All(responses, r => Assert.Equal(stored.IncidentId, r.Id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("fl_ingest_000000000000000000000000000000000000")]
    [InlineData("not a key at all")]
    public async Task PostIncidents_WithMissingOrUnknownKey_Returns401ProblemAndStoresNothing(string? key)
    {
        var project = await NewProjectAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents") { Content = new StringContent(Incident(), Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        var response = await Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await IncidentsOfAsync(project));
        Assert.Equal(0, (await UsageOfAsync(project)).Count);
    }

    [Fact]
    public async Task PostIncidents_WithKeyInXFaultlineKeyHeader_IsAccepted()
    {
        var project = await NewProjectAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents") { Content = new StringContent(Incident(), Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Faultline-Key", project.IngestKey);

        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync(request, Cancel)).StatusCode);
    }

    public static TheoryData<string, string, string> InvalidBodies => new()
    {
        { "invalid JSON", "{\"error_message\": ", "Invalid JSON" },
        { "not an object", "[1,2,3]", "body" },
        { "missing required fields", "{\"error_type\":\"TypeError\"}", "error_message" },
        { "missing commit", "{\"error_message\":\"x\"}", "commit_sha" },
        { "short commit", "{\"error_message\":\"x\",\"commit_sha\":\"abc123\"}", "commit_sha" },
        { "message not a string", $"{{\"error_message\":42,\"commit_sha\":\"{Sha}\"}}", "error_message" },
        { "line not an integer", $"{{\"error_message\":\"x\",\"commit_sha\":\"{Sha}\",\"line_number\":\"ten\"}}", "line_number" },
        { "line huge", $"{{\"error_message\":\"x\",\"commit_sha\":\"{Sha}\",\"line_number\":1e300}}", "line_number" },
        { "negative column", $"{{\"error_message\":\"x\",\"commit_sha\":\"{Sha}\",\"column_number\":-1}}", "column_number" },
        { "frames not a list", $"{{\"error_message\":\"x\",\"commit_sha\":\"{Sha}\",\"frames\":{{}}}}", "frames" },
        { "frame file not a string", $"{{\"error_message\":\"x\",\"commit_sha\":\"{Sha}\",\"frames\":[{{\"file\":1}}]}}", "frames[0].file" },
        { "metadata not an object", $"{{\"error_message\":\"x\",\"commit_sha\":\"{Sha}\",\"metadata\":[1]}}", "metadata" },
        { "bad event id", $"{{\"error_message\":\"x\",\"commit_sha\":\"{Sha}\",\"event_id\":\"123\"}}", "event_id" },
        { "bad environment", $"{{\"error_message\":\"x\",\"commit_sha\":\"{Sha}\",\"environment\":\"prod uction!\"}}", "environment" },
        { "bad timestamp", $"{{\"error_message\":\"x\",\"commit_sha\":\"{Sha}\",\"occurred_at\":\"yesterday\"}}", "occurred_at" },
        { "fingerprint object", $"{{\"error_message\":\"x\",\"commit_sha\":\"{Sha}\",\"fingerprint\":{{}}}}", "fingerprint" },
        { "batch not a list", "{\"incidents\":{}}", "incidents" },
        { "batch item invalid", $"{{\"incidents\":[{{\"error_message\":\"x\",\"commit_sha\":\"{Sha}\"}},{{\"error_message\":\"y\"}}]}}", "incidents[1].commit_sha" },
        { "too deep", new string('[', 70) + new string(']', 70), "Invalid JSON" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task PostIncidents_WithInvalidBody_Returns400NamingTheProblem_AndStoresNothing(string why, string body, string expected)
    {
        var project = await NewProjectAsync();

        var response = await PostNativeAsync(project.IngestKey, body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, why);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        var mentioned = problem.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().Any(e => e.Name == expected)
            : problem.GetProperty("title").GetString() == expected;
        Assert.True(mentioned, $"{why}: {problem}");
        Assert.Empty(await IncidentsOfAsync(project));
    }

    [Fact]
    public async Task PostIncidents_WithInvalidUtf8_Returns400()
    {
        var project = await NewProjectAsync();
        var bytes = Encoding.UTF8.GetBytes(Incident()).ToList();
        bytes.InsertRange(20, new byte[] { 0xC3, 0x28, 0xFF });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents") { Content = new ByteArrayContent([.. bytes]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", project.IngestKey);

        var response = await Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await IncidentsOfAsync(project));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task PostIncidents_WithWrongContentType_Returns415(string contentType)
    {
        var project = await NewProjectAsync();

        var response = await PostNativeAsync(project.IngestKey, Incident(), contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(await IncidentsOfAsync(project));
    }

    [Fact]
    public async Task PostIncidents_WithBodyOverOneMebibyte_Returns413()
    {
        var project = await NewProjectAsync();

        var response = await PostNativeAsync(project.IngestKey, Incident(new { stack_trace = new string('x', 1_100_000) }));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await IncidentsOfAsync(project));
    }

    [Fact]
    public async Task PostIncidents_WithGzipThatExpandsPastTenMebibytes_Returns413WithoutReadingItAll()
    {
        var project = await NewProjectAsync();
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 512; i++)
            {
                await gzip.WriteAsync(zeros, Cancel); // 512 MiB of zeros, about half a megabyte compressed
            }
        }

        Assert.True(compressed.Length < 1_048_576, $"bomb is {compressed.Length} bytes");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents") { Content = new ByteArrayContent(compressed.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", project.IngestKey);

        var response = await Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await IncidentsOfAsync(project));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task PostIncidents_WithCompressedBody_IsAccepted(string encoding)
    {
        var project = await NewProjectAsync();
        var raw = Encoding.UTF8.GetBytes(Incident());
        using var compressed = new MemoryStream();
        await using (Stream stream = encoding switch
        {
            "gzip" => new GZipStream(compressed, CompressionMode.Compress, leaveOpen: true),
            "deflate" => new ZLibStream(compressed, CompressionMode.Compress, leaveOpen: true),
            _ => new BrotliStream(compressed, CompressionMode.Compress, leaveOpen: true),
        })
        {
            await stream.WriteAsync(raw, Cancel);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents") { Content = new ByteArrayContent(compressed.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentEncoding.Add(encoding);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", project.IngestKey);

        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync(request, Cancel)).StatusCode);
        Assert.Single(await IncidentsOfAsync(project));
    }

    [Fact]
    public async Task PostIncidents_WithNulsLongFieldsAndManyFrames_StoresCleanedAndSaysWhatWasCut()
    {
        var project = await NewProjectAsync();
        var frames = Enumerable.Range(1, 100_000).Select(i => new { file = $"/var/task/src/f{i % 7}.ts", line = i, function = $"fn{i}" });
        var json = Incident(new
        {
            error_message = "null\u0000byte " + new string('m', 20_000),
            error_type = new string('T', 300),
            frames,
            metadata = new { note = "a\u0000b", lone = "\ud800x", nested = new { deeper = "\u0000" } },
        });

        // About 5 MB of JSON: sent gzipped, as it must be to fit in 1 MiB on the wire.
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(json), Cancel);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents") { Content = new ByteArrayContent(compressed.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", project.IngestKey);
        var response = await Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = Assert.Single(await IncidentsOfAsync(project));
        Assert.DoesNotContain('\0', stored.ErrorMessage);
        Assert.StartsWith("nullbyte mmm", stored.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(10_000, stored.ErrorMessage.Length);
        Assert.Equal(255, stored.ErrorType!.Length);
        var metadata = stored.MetadataJson;
        Assert.Equal(["error_message", "error_type"], metadata.GetProperty("truncated").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(100_000 - 250, metadata.GetProperty("frames_trimmed").GetInt32());
        Assert.Equal("ab", metadata.GetProperty("note").GetString());
        Assert.Equal("\uFFFDx", metadata.GetProperty("lone").GetString());
        Assert.Equal($"src/f{100_000 % 7}.ts", stored.FilePath);
        Assert.Equal(100_000, stored.LineNumber);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-400)]
    public async Task PostIncidents_WithTimestampFarFromNow_ClampsItAndKeepsTheOriginal(int days)
    {
        var project = await NewProjectAsync();
        var sent = DateTime.UtcNow.AddDays(days);

        var response = await PostNativeAsync(project.IngestKey, Incident(new { occurred_at = sent.ToString("O") }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = Assert.Single(await IncidentsOfAsync(project));
        Assert.InRange(stored.OccurredAt, DateTime.UtcNow.AddMinutes(-2), DateTime.UtcNow.AddMinutes(1));
        var original = DateTime.Parse(stored.MetadataJson.GetProperty("original_occurred_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);
        Assert.Equal(sent, original, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task PostIncidents_WithExplicitLocationAndSdkFingerprint_KeepsThem()
    {
        var project = await NewProjectAsync();
        var first = Incident(new { file_path = "apps/web/src/page.tsx", line_number = 7, column_number = 3, fingerprint = new[] { "checkout", "cart-empty" } });
        var second = Incident(new { error_message = "a different message", fingerprint = "checkout" });

        await PostNativeAsync(project.IngestKey, first);
        await PostNativeAsync(project.IngestKey, Incident(new { error_message = "other words", fingerprint = new[] { "checkout", "cart-empty" } }));
        await PostNativeAsync(project.IngestKey, second);

        var stored = await IncidentsOfAsync(project);
        Assert.Equal("apps/web/src/page.tsx", stored[0].FilePath);
        Assert.Equal((7, 3), (stored[0].LineNumber!.Value, stored[0].ColumnNumber!.Value));
        Assert.Equal(stored[0].Fingerprint, stored[1].Fingerprint);
        Assert.NotEqual(stored[0].Fingerprint, stored[2].Fingerprint);
    }
}
