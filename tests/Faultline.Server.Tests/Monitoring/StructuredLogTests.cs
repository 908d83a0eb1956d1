using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faultline.Testing;

namespace Faultline.Server.Tests.Monitoring;

/// <summary>The real server process, as an operator runs it: JSON lines on stdout.</summary>
public sealed class StructuredLogTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Server_OutsideDevelopment_LogsJsonLinesCarryingTheProblemsTraceId()
    {
        // Found listening through its JSON "Now listening on" line, as every ServerProcess test does.
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Faultline"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=1",
            ["Faultline:Database:AutoMigrate"] = "false",
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents")
        {
            Content = JsonContent.Create(new { error_message = "boom", commit_sha = new string('a', 40) }),
        };
        request.Headers.Authorization = new("Bearer", "fl_ingest_" + new string('k', 40));
        var response = await client.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var traceId = (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("trace_id").GetString();

        var warning = await WaitForLineAsync(server, line => line.GetProperty("Category").GetString() == "Faultline.Server.Ingest.IngestPipeline");
        Assert.Equal("Warning", warning.GetProperty("LogLevel").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", warning.GetProperty("Timestamp").GetString());
        Assert.Contains(warning.GetProperty("Scopes").EnumerateArray(), scope =>
            scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("TraceId", out var id) && id.GetString() == traceId);
        Assert.All(Lines(server), line => Assert.StartsWith("{", line, StringComparison.Ordinal));
    }

    private static IEnumerable<string> Lines(ServerProcess server) =>
        server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<JsonElement> WaitForLineAsync(ServerProcess server, Func<JsonElement, bool> predicate)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            foreach (var line in Lines(server).Where(l => l.StartsWith('{')))
            {
                var json = JsonDocument.Parse(line).RootElement;
                if (predicate(json))
                {
                    return json.Clone();
                }
            }

            await Task.Delay(100, Cancel);
        }

        Assert.Fail("No such log line in:\n" + server.Output);
        return default;
    }
}
