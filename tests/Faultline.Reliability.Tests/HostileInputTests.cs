using System.Diagnostics;
using System.Net;
using Faultline.Reliability.Tests.Support;
using Faultline.Testing;

namespace Faultline.Reliability.Tests;

/// <summary>
/// Issue 9, scenario 4: over 1,000 malformed requests of over 20 kinds against the ingest and query
/// routes. Every answer is a 2xx/304/4xx of the allowed set (never a 5xx), the server process lives
/// on, and a valid incident sent after each kind is still stored.
/// </summary>
public sealed class HostileInputTests(TestPostgres postgres) : IAsyncLifetime
{
    private const string Scenario = "hostile-input";
    private static readonly HashSet<int> Allowed = [200, 201, 304, 400, 401, 403, 404, 413, 415, 429];

    private ServerGroup servers = null!;
    private TestProject other = null!;

    private ServerProcess Server => servers.First;

    private TestProject Project => servers.Project;

    /// <summary>With the default rate limit: hostile clients meet the configuration users run.</summary>
    public async ValueTask InitializeAsync()
    {
        servers = await ServerGroup.StartAsync(postgres, "hostile", count: 1, rateLimited: true);
        other = await TestData.CreateProjectAsync(servers.ConnectionString);
    }

    public ValueTask DisposeAsync() => servers is null ? ValueTask.CompletedTask : servers.DisposeAsync();

    [Fact]
    public async Task MalformedRequests_OfEveryKind_AreRefusedCleanly_AndValidIncidentsStillStored()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // Header values go out as UTF-8 bytes, so non-ASCII keys reach the server instead of being refused here.
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8 })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        var began = Stopwatch.GetTimestamp();
        var failures = new List<string>();
        var total = 0;
        var kinds = 0;
        var statuses = new Dictionary<int, int>();
        foreach (var (kind, requests) in new HostileInputs(Project, other).Kinds())
        {
            kinds++;
            var answers = new (HostileRequest Request, int Status)[requests.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
                async (i, token) => answers[i] = (requests[i], await requests[i].SendAsync(client, Server.BaseAddress, token)));
            total += answers.Length;
            foreach (var (_, status) in answers)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
            }

            var refused = answers.Where(a => !Allowed.Contains(a.Status)).ToList();
            Figures.Report(Scenario, kind, $"{answers.Length} requests: {string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}");
            failures.AddRange(refused.Take(5).Select(a => $"{kind}: {a.Request.Method} {a.Request.Path} [{a.Request.ContentType}; {a.Request.ContentEncoding}] answered {(a.Status == 0 ? "nothing" : a.Status)}"));
            if (Server.HasExited)
            {
                failures.Add($"{kind}: the server process died");
                break;
            }

            if (!await ValidIncidentStoredAsync(client, cancellationToken))
            {
                failures.Add($"{kind}: a valid incident sent afterwards was not stored");
            }
        }

        Figures.Report(Scenario, "total", $"{total} requests of {kinds} kinds in {Stopwatch.GetElapsedTime(began).TotalSeconds:F1} s: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
        Figures.Report(Scenario, "5xx answers", $"{statuses.Where(s => s.Key >= 500).Sum(s => s.Value)}");
        Figures.Report(Scenario, "server alive", $"{!Server.HasExited}");
        var serverErrors = ServerLog.Errors(Server.Output);
        Figures.Report(Scenario, "server log errors (fail/crit)", $"{serverErrors.Count}");
        Assert.True(total >= 1_000 && kinds >= 20, $"only {total} requests of {kinds} kinds");
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n\nserver log:\n" + string.Join("\n", serverErrors.Take(10)));
    }

    /// <summary>Sends a valid incident (waiting out a 429) and checks it is in the database.</summary>
    private async Task<bool> ValidIncidentStoredAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var eventId = Guid.NewGuid();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            using var request = Payloads.NativeRequest(Server.BaseAddress, Project, Payloads.NativeIncident(eventId));
            using var response = await client.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                return await Stored.HasEventAsync(servers.ConnectionString, Project, eventId);
            }

            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
        }

        return false;
    }
}
