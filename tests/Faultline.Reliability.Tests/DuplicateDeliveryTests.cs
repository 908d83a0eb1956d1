using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Faultline.Reliability.Tests.Support;
using Faultline.Testing;

namespace Faultline.Reliability.Tests;

/// <summary>
/// Issue 9, scenario 3: every event delivered three times at once, across both server instances
/// (two copies to one, one to the other): one row per event, and all three answers name it.
/// </summary>
public sealed class DuplicateDeliveryTests(TestPostgres postgres) : IAsyncLifetime
{
    private const string Scenario = "duplicate-delivery";
    private const int Events = 600;
    private const int Copies = 3;

    private ServerGroup servers = null!;

    public async ValueTask InitializeAsync() => servers = await ServerGroup.StartAsync(postgres, "duplicates", count: 2);

    public ValueTask DisposeAsync() => servers is null ? ValueTask.CompletedTask : servers.DisposeAsync();

    [Fact]
    public async Task EachEventSentThreeTimesConcurrently_AcrossBothInstances_IsStoredOnce_AndEveryAnswerNamesIt()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = IngestLoad.CreateClient();
        var began = Stopwatch.GetTimestamp();
        var eventIds = new Guid[Events];
        var answers = new (string IncidentId, bool Duplicate)[Events][];
        await Parallel.ForEachAsync(Enumerable.Range(0, Events), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (n, token) =>
        {
            var eventId = eventIds[n] = Guid.NewGuid();
            var body = Payloads.NativeIncident(eventId);
            answers[n] = await Task.WhenAll(Enumerable.Range(0, Copies).Select(copy => SendAsync(client, servers[(n + copy) % 2], body, token)));
        });
        var duration = Stopwatch.GetElapsedTime(began);

        var stored = await Stored.EventsAsync(servers.ConnectionString, servers.Project);
        var disagreeing = answers.Count(a => a.Select(x => x.IncidentId).Distinct().Count() != 1);
        var notOneCreated = answers.Count(a => a.Count(x => !x.Duplicate) != 1);
        var notTheStoredOne = Enumerable.Range(0, Events).Count(n => !stored.TryGetValue(eventIds[n], out var row) || row.IncidentId != answers[n][0].IncidentId);
        Figures.Report(Scenario, "events", $"{Events} × {Copies} concurrent deliveries over 2 instances in {duration.TotalSeconds:F1} s");
        Figures.Report(Scenario, "rows stored", $"{stored.Values.Sum(s => s.Rows)} for {stored.Count} event ids");
        Figures.Report(Scenario, "events whose answers named different incidents", $"{disagreeing}");
        Figures.Report(Scenario, "events whose answers named another incident than the stored one", $"{notTheStoredOne}");
        Figures.Report(Scenario, "events not answered duplicate=false exactly once", $"{notOneCreated}");

        Assert.Equal(Events, stored.Count);
        Assert.All(stored.Values, s => Assert.Equal(1, s.Rows));
        Assert.Equal(0, disagreeing);
        Assert.Equal(0, notTheStoredOne);
        Assert.Equal(0, notOneCreated);
    }

    private async Task<(string IncidentId, bool Duplicate)> SendAsync(HttpClient client, Uri server, byte[] body, CancellationToken cancellationToken)
    {
        using var request = Payloads.NativeRequest(server, servers.Project, body);
        using var response = await client.SendAsync(request, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var incident = json.RootElement.GetProperty("incidents")[0];
        return (incident.GetProperty("incident_id").GetString()!, incident.GetProperty("duplicate").GetBoolean());
    }
}
