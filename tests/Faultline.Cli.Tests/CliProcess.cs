using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Faultline.Cli.Tests;

/// <summary>The <c>faultline</c> command run as a process, as a user or a script runs it (stdout piped).</summary>
internal sealed class CliProcess : IDisposable
{
    public CliProcess()
    {
        ConfigHome = Directory.CreateTempSubdirectory("flcli-").FullName;
        WorkingDirectory = ConfigHome;
    }

    /// <summary>XDG_CONFIG_HOME for the process, a fresh temporary folder.</summary>
    public string ConfigHome { get; }

    public string CredentialsPath => Path.Combine(ConfigHome, "faultline", "credentials.json");

    public string WorkingDirectory { get; set; }

    public Dictionary<string, string?> Environment { get; } = [];

    public sealed record Result(int ExitCode, string Output, string Error);

    public async Task<Result> RunAsync(params string[] args)
    {
        using var running = Start(args);
        return await running.WaitAsync();
    }

    /// <summary>Starts the command without waiting, for a test that acts on its output while it runs.</summary>
    public Running Start(params string[] args)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = WorkingDirectory,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "faultline.dll"));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "FAULTLINE_SERVER", "FAULTLINE_TOKEN", "FAULTLINE_GITHUB_HOSTS", "DISPLAY", "WAYLAND_DISPLAY" })
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["XDG_CONFIG_HOME"] = ConfigHome;
        foreach (var (name, value) in Environment)
        {
            startInfo.Environment[name] = value;
        }

        var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        return new Running(process);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(ConfigHome, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    /// <summary>A started command: read its output as it comes, then wait for its exit.</summary>
    public sealed class Running : IDisposable
    {
        private static CancellationToken Cancel => TestContext.Current.CancellationToken;

        private readonly Process process;
        private readonly StringBuilder read = new();
        private readonly Task<string> error;

        internal Running(Process process)
        {
            this.process = process;
            error = process.StandardError.ReadToEndAsync(Cancel);
        }

        /// <summary>Reads stdout up to the first line matching <paramref name="pattern"/>, and returns the match.</summary>
        public async Task<Match> ReadUntilAsync(Regex pattern)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                read.Append(line).Append('\n');
                if (pattern.Match(line) is { Success: true } match)
                {
                    return match;
                }
            }

            throw new InvalidOperationException($"faultline exited without printing {pattern}:\n{read}{await error}");
        }

        public async Task<Result> WaitAsync()
        {
            var rest = process.StandardOutput.ReadToEndAsync(Cancel);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return new Result(process.ExitCode, read + await rest, await error);
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
        }
    }
}
