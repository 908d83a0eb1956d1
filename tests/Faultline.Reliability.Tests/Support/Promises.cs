using System.Diagnostics;
using Faultline.Testing;

namespace Faultline.Reliability.Tests.Support;

/// <summary>
/// The promise a load run must keep: every acknowledged incident is stored, under the incident id
/// its answer named; no event id is stored twice; every error answer tells the client to retry
/// (503 or 429 with Retry-After, never a 500). Prints the figures and returns what missed.
/// </summary>
internal static class Promises
{
    public static async Task<List<string>> CheckAsync(string scenario, IngestLoad load, string connectionString, TestProject project, TimeSpan duration)
    {
        var stored = await Stored.EventsAsync(connectionString, project);
        var answers = load.Answers.ToArray();
        var lost = load.Acknowledged.Count(a => !stored.TryGetValue(a.Key, out var row) || row.IncidentId != a.Value);
        var doubled = stored.Count(s => s.Value.Rows > 1);
        var errors = answers.Where(a => a.Status is not (0 or 200 or 201)).ToArray();
        var wrongErrors = errors.Where(a => a.Status is not (503 or 429) || !a.RetryAfter).ToArray();
        var network = answers.Count(a => a.Status == 0);

        Figures.Report(scenario, "requests", $"{answers.Length} ({answers.Length / duration.TotalSeconds:F0}/s over {duration.TotalSeconds:F1} s)");
        Figures.Report(scenario, "events started", $"{load.EventsStarted}");
        Figures.Report(scenario, "acknowledged", $"{load.Acknowledged.Count}");
        Figures.Report(scenario, "stored events", $"{stored.Count} (extra stored but unacknowledged: {stored.Keys.Count(k => !load.Acknowledged.ContainsKey(k))})");
        Figures.Report(scenario, "acknowledged but lost", $"{lost}");
        Figures.Report(scenario, "event ids stored twice", $"{doubled}");
        Figures.Report(scenario, "answers naming another incident", $"{load.ConflictingAnswers}");
        Figures.Report(scenario, "error answers", $"{errors.Length} ({string.Join(", ", errors.GroupBy(e => e.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"))}); without Retry-After or not 503/429: {wrongErrors.Length}");
        Figures.Report(scenario, "network errors (retried)", $"{network}");

        var failures = new List<string>();
        if (load.Acknowledged.IsEmpty)
        {
            failures.Add("nothing was acknowledged");
        }

        if (lost > 0)
        {
            failures.Add($"{lost} acknowledged incidents are not stored under the id their answer named");
        }

        if (doubled > 0)
        {
            failures.Add($"{doubled} event ids are stored more than once");
        }

        if (load.ConflictingAnswers > 0)
        {
            failures.Add($"{load.ConflictingAnswers} answers named another incident for an acknowledged event");
        }

        if (wrongErrors.Length > 0)
        {
            failures.Add($"{wrongErrors.Length} error answers were not 503/429 with Retry-After: {string.Join(", ", wrongErrors.Select(e => e.Status).Distinct())}");
        }

        return failures;
    }

    /// <summary>Seconds from <paramref name="from"/> to the first success (from <paramref name="target"/>, if given); null if none came.</summary>
    public static double? FirstSuccessAfter(IngestLoad load, long from, int? target = null)
    {
        var first = long.MaxValue;
        foreach (var answer in load.Answers)
        {
            if (answer.Status == 201 && answer.At >= from && answer.At < first && (target is null || answer.Target == target))
            {
                first = answer.At;
            }
        }

        return first == long.MaxValue ? null : Stopwatch.GetElapsedTime(from, first).TotalSeconds;
    }
}
