using System.Diagnostics;

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

        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
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
}
