using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Faultline.Bench;

/// <summary>
/// wrk (Debian's package), the lighter load driver: it leaves more of the two cores to the server
/// than an HttpClient driver in the benchmark's own process would.
/// </summary>
internal static partial class Wrk
{
    public static bool IsInstalled =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(directory => File.Exists(Path.Combine(directory, "wrk")));

    /// <summary>Runs wrk with these arguments and returns what it printed.</summary>
    public static async Task<string> RunAsync(IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var wrk = Process.Start(startInfo)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        return output;
    }

    /// <summary>A latency line of wrk's <c>--latency</c> distribution (e.g. "99%"), in milliseconds.</summary>
    public static double Percentile(string output, string label)
    {
        var match = Regex.Match(output, Regex.Escape(label) + @"\s+([0-9.]+)(us|ms|s)");
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    /// <summary>A Lua string literal.</summary>
    public static string LuaString(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// GETs <paramref name="url"/> with <paramref name="headers"/> from <paramref name="connections"/>
    /// connections for <paramref name="seconds"/> (after as long again of warm-up), and returns the
    /// requests, those not answered <paramref name="expectedStatus"/>, and p50/p95/p99 in milliseconds.
    /// Statuses are checked in Lua only when 200 is not the one expected (wrk then hands every body
    /// to Lua, which costs more than the server's work on a 100 KB page); else any answer that is not
    /// 2xx/3xx, or a socket error, counts (an unconditional GET cannot be answered 304).
    /// </summary>
    public static async Task<(long Count, long Unexpected, double P50, double P95, double P99)> GetAsync(
        Uri url, IReadOnlyDictionary<string, string> headers, int expectedStatus, int connections, int seconds) =>
        (await GetAsync(url, headers, expectedStatus, connections, seconds, static () => default)).Result;

    /// <summary>The same, with the CPU that <paramref name="cpu"/> saw used during the measured run (not the warm-up).</summary>
    public static async Task<((long Count, long Unexpected, double P50, double P95, double P99) Result, CpuTimes Cpu)> GetAsync(
        Uri url, IReadOnlyDictionary<string, string> headers, int expectedStatus, int connections, int seconds, Func<CpuTimes> cpu)
    {
        var script = Path.Combine(Path.GetTempPath(), $"faultline-bench-{Environment.ProcessId}.lua");
        var headerLines = string.Join("\n", headers.Select(h => $"wrk.headers[{LuaString(h.Key)}] = {LuaString(h.Value)}"));
        await File.WriteAllTextAsync(script, $$"""
            {{headerLines}}
            local threads = {}
            function setup(thread) table.insert(threads, thread) end
            unexpected = 0
            {{(expectedStatus == 200 ? "" : $$"""
            function response(status, headers, body)
              if status ~= {{expectedStatus}} then unexpected = unexpected + 1 end
            end
            """)}}
            function done(summary, latency, requests)
              local total = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
              for _, thread in ipairs(threads) do total = total + thread:get("unexpected") end
              io.write(string.format("faultline: %d %d %.0f %.0f %.0f\n", summary.requests, total,
                latency:percentile(50), latency:percentile(95), latency:percentile(99)))
            end
            """);
        string[] Arguments(int duration) =>
            ["-t2", "-c", connections.ToString(CultureInfo.InvariantCulture), $"-d{duration}s", "-s", script, url.ToString()];
        await RunAsync(Arguments(Math.Max(3, seconds)));
        var before = cpu();
        var output = await RunAsync(Arguments(seconds));
        var used = cpu() - before;
        File.Delete(script);
        var match = SummaryLine().Match(output);
        if (!match.Success)
        {
            throw new InvalidOperationException("wrk printed no summary: " + output);
        }

        double Milliseconds(int group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) / 1000;
        return ((long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            Milliseconds(3), Milliseconds(4), Milliseconds(5)), used);
    }

    [GeneratedRegex(@"faultline: (\d+) (\d+) (\d+) (\d+) (\d+)")]
    private static partial Regex SummaryLine();
}
