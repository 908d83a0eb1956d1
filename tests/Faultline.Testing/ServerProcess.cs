using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Faultline.Testing;

/// <summary>
/// The real <c>faultline-server</c> as a separate process on a loopback port, for tests that need
/// what an in-memory server cannot give: other processes (the CLI, the language server, Sentry
/// SDKs, a browser) talking to it over TCP, or the process being killed.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process) => this.process = process;

    public Uri BaseAddress { get; private set; } = null!;

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the server with <paramref name="settings"/> as configuration (environment variables,
    /// so nothing secret lands on a command line) and waits until it listens.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, string urls = "http://127.0.0.1:0", TimeSpan? timeout = null)
    {
        var serverDll = Path.Combine(AppContext.BaseDirectory, "faultline-server.dll");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        startInfo.ArgumentList.Add(serverDll);
        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add(urls);
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in settings)
        {
            startInfo.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var server = new ServerProcess(new Process { StartInfo = startInfo, EnableRaisingEvents = true });
        server.process.OutputDataReceived += (_, e) => server.Receive(e.Data);
        server.process.ErrorDataReceived += (_, e) => server.Receive(e.Data);
        server.process.Exited += (_, _) => server.listening.TrySetException(new InvalidOperationException("faultline-server exited before listening:\n" + server.Output));
        server.process.Start();
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();

        try
        {
            server.BaseAddress = await server.listening.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine or the OOM killer ends it.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM and wait: the graceful stop a service manager does.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(cts.Token);
        }

        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(TimeSpan.FromSeconds(20));
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }

        process.Dispose();
    }

    private void Receive(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://[0-9A-Za-z.:\[\]]+)")]
    private static partial Regex ListeningLine();
}
