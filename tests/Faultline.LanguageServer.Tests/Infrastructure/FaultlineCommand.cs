using System.Diagnostics;
using System.Text;
using Faultline.Testing;

namespace Faultline.LanguageServer.Tests.Infrastructure;

/// <summary>
/// The real <c>faultline</c> command (<c>dotnet faultline.dll …</c>) with its own <c>XDG_CONFIG_HOME</c>
/// and none of the caller's <c>FAULTLINE_*</c> variables; stderr is collected. It runs from the CLI's
/// own build output, as installed: in this test's output the logging assemblies it needs are left out
/// (the test project shares ASP.NET Core's framework, which the CLI does not run on).
/// </summary>
internal sealed class FaultlineCommand : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder error = new();

    private FaultlineCommand(Process process) => this.process = process;

    /// <summary>src/Faultline.Cli/bin/{configuration}/{framework}/faultline.dll, for the configuration this test was built in.</summary>
    public static string Executable { get; } = Path.Combine(
        RepositoryRoot.Path, "src", "Faultline.Cli",
        Path.GetRelativePath(Path.Combine(RepositoryRoot.Path, "tests", "Faultline.LanguageServer.Tests"), AppContext.BaseDirectory),
        "faultline.dll");

    public Process Process => process;

    public string Error
    {
        get
        {
            lock (error)
            {
                return error.ToString();
            }
        }
    }

    public static FaultlineCommand Start(string configHome, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = configHome,
        };
        startInfo.ArgumentList.Add(Executable);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var name in (string[])["FAULTLINE_SERVER", "FAULTLINE_TOKEN", "FAULTLINE_GITHUB_HOSTS", "DISPLAY", "WAYLAND_DISPLAY"])
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["XDG_CONFIG_HOME"] = configHome;
        var command = new FaultlineCommand(Process.Start(startInfo)!);
        command.process.ErrorDataReceived += (_, e) =>
        {
            lock (command.error)
            {
                command.error.AppendLine(e.Data);
            }
        };
        command.process.BeginErrorReadLine();
        return command;
    }

    /// <summary>Runs to the end with no input: the exit code and stdout.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string configHome, params string[] arguments)
    {
        using var command = Start(configHome, arguments);
        command.process.StandardInput.Close();
        var output = await command.process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await command.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (command.process.ExitCode, output, command.Error);
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancellation.CancelAfter(timeout);
        await process.WaitForExitAsync(cancellation.Token);
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
