using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Faultline.Bench;

/// <summary>
/// <c>faultline-server</c> as a process on a loopback port (so in local mode when no GitHub app is
/// configured), with its embedded PostgreSQL in a temporary directory that is deleted at the end.
/// </summary>
internal sealed partial class BenchServer : IDisposable
{
    private readonly Process process;

    private readonly bool keep;

    private BenchServer(Process process, string dataDirectory, Uri baseAddress, bool keep) =>
        (this.process, DataDirectory, BaseAddress, this.keep) = (process, dataDirectory, baseAddress, keep);

    public Uri BaseAddress { get; }

    /// <summary>The server's process id (its CPU time is read from /proc by <see cref="CpuTimes"/>).</summary>
    public int ProcessId => process.Id;

    public string DataDirectory { get; }

    /// <summary>The embedded PostgreSQL, over its Unix socket in the data directory.</summary>
    public string ConnectionString => $"Host={DataDirectory};Username=faultline;Database=faultline;Pooling=true";

    /// <summary>
    /// Starts the server with <paramref name="settings"/> (configuration keys) and waits until it listens;
    /// in <paramref name="dataDirectory"/>, kept afterwards, when given (else a temporary one).
    /// </summary>
    public static BenchServer Start(IReadOnlyDictionary<string, string>? settings = null, string? dataDirectory = null)
    {
        var keep = dataDirectory is not null || Environment.GetEnvironmentVariable("FAULTLINE_BENCH_KEEP") == "1";
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "flbench-" + Guid.NewGuid().ToString("N")[..8]);
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "faultline-server.dll"), "--urls", "http://127.0.0.1:0"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["Faultline__DataDirectory"] = dataDirectory;
        startInfo.Environment["Logging__LogLevel__Default"] = "Warning";
        startInfo.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(startInfo)!;
        var listening = new TaskCompletionSource<Uri>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new BenchServer(process, dataDirectory, listening.Task.WaitAsync(TimeSpan.FromSeconds(90)).GetAwaiter().GetResult(), keep);
    }

    /// <summary>The value at <paramref name="p"/> (0..1) of already sorted <paramref name="sorted"/>.</summary>
    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, Math.Round(p * (sorted.Count - 1)))];

    /// <summary>SIGTERM, wait, and delete the data directory (kept when given or FAULTLINE_BENCH_KEEP=1, to look at it or run again on it).</summary>
    public void Dispose()
    {
        Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        process.WaitForExit(30_000);
        process.Dispose();
        if (keep)
        {
            Console.WriteLine($"kept:    {DataDirectory}");
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"Now listening on: (http://[0-9.:]+)")]
    private static partial Regex ListeningLine();
}
