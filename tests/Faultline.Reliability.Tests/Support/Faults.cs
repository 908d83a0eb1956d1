using System.Diagnostics;

namespace Faultline.Reliability.Tests.Support;

/// <summary>
/// Kills something mid-load at random moments and restarts it, then waits for the first success
/// after each restart (from <c>target</c>, if given), which must come within 10 s.
/// </summary>
internal static class Faults
{
    public static readonly TimeSpan FirstSuccessLimit = TimeSpan.FromSeconds(10);

    /// <returns>What missed: a restart after which no success came in time.</returns>
    public static async Task<List<string>> KillAndRestartAsync(
        string scenario, IngestLoad load, int kills, Func<Task> kill, Func<Task<string?>> restart, int? target, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        for (var n = 1; n <= kills; n++)
        {
            await Task.Delay(Random.Shared.Next(500, 2_000), cancellationToken);
            var killedAt = Stopwatch.GetTimestamp();
            await kill();
            await Task.Delay(Random.Shared.Next(100, 1_500), cancellationToken);
            var detail = await restart();
            var restartedAt = Stopwatch.GetTimestamp();
            double? first;
            while ((first = Promises.FirstSuccessAfter(load, restartedAt, target)) is null
                && Stopwatch.GetElapsedTime(restartedAt) < FirstSuccessLimit + TimeSpan.FromSeconds(1))
            {
                await Task.Delay(100, cancellationToken);
            }

            var down = Stopwatch.GetElapsedTime(killedAt, restartedAt).TotalSeconds;
            Figures.Report(scenario, $"kill {n}",
                $"down {down:F2} s (kill to restarted{(detail is null ? "" : "; " + detail)}); first success {(first is { } s ? $"{s:F2} s" : "never")} after the restart");
            if (first is null || first > FirstSuccessLimit.TotalSeconds)
            {
                failures.Add($"kill {n}: no success within {FirstSuccessLimit.TotalSeconds} s of the restart");
            }
        }

        return failures;
    }
}
