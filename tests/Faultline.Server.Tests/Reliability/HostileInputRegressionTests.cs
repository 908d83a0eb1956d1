using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Faultline.Server.Ingest;
using Faultline.Server.Tests.Ingest;
using Faultline.Testing;
using Microsoft.AspNetCore.Http;

namespace Faultline.Server.Tests.Reliability;

/// <summary>Bugs the reliability suite's hostile-input scenario found (issue 9): each answered 500 before its fix.</summary>
public sealed class HostileInputRegressionTests(TestPostgres postgres) : IngestTestBase(postgres)
{
    [Fact]
    public async Task PostIncidents_WithEscapedLoneSurrogates_StoresThemAsReplacementCharacters()
    {
        var project = await NewProjectAsync();
        // JSON.stringify writes "\ud800" for a string cut mid-pair; System.Text.Json threw reading it back.
        var json = Incident().Replace("\"error_message\":\"", "\"metadata\":{\"k\\udc00\":\"\\ud800\"},\"error_message\":\"x\\ud800y\\ud83d\\ude00 ", StringComparison.Ordinal);

        using var response = await PostNativeAsync(project.IngestKey, json);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = Assert.Single(await IncidentsOfAsync(project));
        Assert.StartsWith("x\uFFFDy\U0001F600 ", stored.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("\uFFFD", stored.MetadataJson.GetProperty("k\uFFFD").GetString());
    }

    [Fact]
    public async Task SentryEnvelope_WithLoneSurrogatesInHeaderAndEvent_IsStored()
    {
        var project = await NewProjectAsync();
        var item = Encoding.UTF8.GetBytes($$$"""{"release":"{{{Sha}}}","exception":{"values":[{"type":"Error\ud800","value":"\udfff"}]}}""");
        var body = Encoding.UTF8.GetBytes("""{"event_id":"\ud800","dsn":"http://\udc00@h/1"}""" + "\n{\"type\":\"event\"}\n").Concat(item).ToArray();

        using var response = await PostSentryAsync($"/api/{project.ProjectNumber}/envelope/", project, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Error\uFFFD", Assert.Single(await IncidentsOfAsync(project)).ErrorType);
    }

    [Fact]
    public async Task SentryStore_WithCorruptBrotliBody_Returns400()
    {
        var project = await NewProjectAsync();
        // Brotli reports corrupt data as InvalidOperationException, which the reader did not expect.
        using var response = await PostSentryAsync($"/api/{project.ProjectNumber}/store/", project, "{\"not\":\"brotli\"}"u8.ToArray(), "br");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await IncidentsOfAsync(project));
    }

    [Fact]
    public async Task SentryStore_WithNulInKey_Returns401_AndKeyLookupsSharingItsBatchStillWork()
    {
        var project = await NewProjectAsync();
        // PostgreSQL refuses NUL in text: the batched key look-up failed as a whole, with every request in it.
        var hostile = Enumerable.Range(0, 20).Select(_ => Client.PostAsync(
            $"/api/{project.ProjectNumber}/store/?sentry_key=fl_ingest_%00x", new StringContent("{}", Encoding.UTF8, "application/json"), Cancel));
        var valid = Enumerable.Range(0, 20).Select(i => PostNativeAsync(project.IngestKey, Incident(new { error_message = $"valid {i}" })));

        var responses = await Task.WhenAll(hostile.Concat(valid));

        Assert.All(responses[..20], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.All(responses[20..], r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(20, (await IncidentsOfAsync(project)).Count);
    }

    [Fact]
    public async Task RequestBodyReader_WhenTheBodyStreamFailsWithIOException_ReportsMalformed()
    {
        // Kestrel throws a plain IOException ("Bad chunk size data") for a chunk size that overflows.
        var context = new DefaultHttpContext();
        context.Request.Body = new FailingStream();

        var (body, _, error) = await RequestBodyReader.ReadAsync(context.Request, new IngestOptions(), Cancel);

        Assert.Null(body);
        Assert.Equal(BodyError.Malformed, error);
    }

    [Theory]
    [InlineData("{\"a\":\"\\ud800\"}", "{\"a\":\"\\ufffd\"}")]
    [InlineData("{\"a\":\"\\uDC00\\uD800\"}", "{\"a\":\"\\ufffd\\ufffd\"}")]
    [InlineData("{\"a\":\"\\ud83d\\ude00\"}", "{\"a\":\"\\ud83d\\ude00\"}")]
    [InlineData("{\"a\":\"\\\\ud800\"}", "{\"a\":\"\\\\ud800\"}")]
    [InlineData("{\"a\":\"\\u0041\\\"\\ud800", "{\"a\":\"\\u0041\\\"\\ufffd")]
    [InlineData("\\ud8", "\\ud8")]
    public void ReplaceLoneSurrogateEscapes_RewritesOnlyLoneOnes(string json, string expected) =>
        Assert.Equal(expected, Encoding.UTF8.GetString(TextCleaner.ReplaceLoneSurrogateEscapes(Encoding.UTF8.GetBytes(json)).Span));

    private Task<HttpResponseMessage> PostSentryAsync(string path, TestProject project, byte[] body, string? encoding = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (encoding is not null)
        {
            request.Content.Headers.ContentEncoding.Add(encoding);
        }

        request.Headers.TryAddWithoutValidation("X-Sentry-Auth", $"Sentry sentry_version=7, sentry_key={project.IngestKey}");
        return Client.SendAsync(request, Cancel);
    }

    private sealed class FailingStream : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(new IOException("Bad chunk size data."));
    }
}
