using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Faultline.Testing;

namespace Faultline.Reliability.Tests.Support;

/// <summary>One answer the load got: when, from which target, its status (0: a network error) and whether it said Retry-After.</summary>
internal readonly record struct Answer(long At, int Target, int Status, bool RetryAfter);

/// <summary>
/// Clients sending incidents with unique event ids through the native API, as an SDK with a retry
/// queue does: on 503, 429 or a network error the same body (same event_id) is sent again after
/// Retry-After, to the next target in round-robin order. Bounded in events per client and in time.
/// </summary>
internal sealed class IngestLoad(HttpClient client, TestProject project, Func<int, Uri> target, int targets = 1) : IDisposable
{
    private static readonly TimeSpan NetworkErrorPause = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource lifetime = new();
    private int conflicting;
    private int started;
    private volatile bool stopping;

    public required int Clients { get; init; }

    public required int MaxEventsPerClient { get; init; }

    /// <summary>Events acknowledged (201), each with the incident id the answer named.</summary>
    public ConcurrentDictionary<Guid, string> Acknowledged { get; } = new();

    public ConcurrentQueue<Answer> Answers { get; } = new();

    /// <summary>Answers for an event already acknowledged that named another incident.</summary>
    public int ConflictingAnswers => conflicting;

    public int EventsStarted => started;

    /// <summary>
    /// Runs until <see cref="StopStarting"/> and its settle time, or <paramref name="limit"/> at most:
    /// after StopStarting no new event starts, and events still being retried get the settle time.
    /// </summary>
    public async Task RunAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(lifetime.Cancel);
        lifetime.CancelAfter(limit);
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(i => Task.Run(() => ClientAsync(i, lifetime.Token), CancellationToken.None)));
    }

    public void StopStarting(TimeSpan settleFor)
    {
        stopping = true;
        lifetime.CancelAfter(settleFor);
    }

    private async Task ClientAsync(int index, CancellationToken giveUp)
    {
        var turn = index;
        for (var n = 0; n < MaxEventsPerClient && !stopping && !giveUp.IsCancellationRequested; n++)
        {
            Interlocked.Increment(ref started);
            var eventId = Guid.NewGuid();
            var body = Payloads.NativeIncident(eventId);
            while (!giveUp.IsCancellationRequested)
            {
                var targetIndex = turn++ % targets;
                var pause = await SendOnceAsync(targetIndex, eventId, body, giveUp);
                if (pause is null)
                {
                    break;
                }

                try
                {
                    await Task.Delay(pause.Value, giveUp);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Null when done with the event (stored, or refused for good); else how long to wait before retrying.</summary>
    private async Task<TimeSpan?> SendOnceAsync(int targetIndex, Guid eventId, byte[] body, CancellationToken giveUp)
    {
        using var request = Payloads.NativeRequest(target(targetIndex), project, body);
        try
        {
            using var response = await client.SendAsync(request, giveUp);
            var status = (int)response.StatusCode;
            var retryAfter = response.Headers.RetryAfter?.Delta;
            Answers.Enqueue(new Answer(Stopwatch.GetTimestamp(), targetIndex, status, retryAfter is not null));
            if (response.StatusCode == HttpStatusCode.Created)
            {
                var incidentId = await IncidentIdAsync(response, giveUp);
                var acknowledged = Acknowledged.GetOrAdd(eventId, incidentId);
                if (acknowledged != incidentId)
                {
                    Interlocked.Increment(ref conflicting);
                }

                return null;
            }

            return status is 503 or 429 ? retryAfter ?? TimeSpan.FromSeconds(1) : null;
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException
            || (exception is TaskCanceledException && !giveUp.IsCancellationRequested))
        {
            Answers.Enqueue(new Answer(Stopwatch.GetTimestamp(), targetIndex, 0, false));
            return NetworkErrorPause;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => lifetime.Dispose();

    public static async Task<string> IncidentIdAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return json.RootElement.GetProperty("incidents")[0].GetProperty("incident_id").GetString()!;
    }

    /// <summary>A client for load: pooled connections, no proxy, a bounded wait per request.</summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };
}
