using System.ComponentModel;
using System.Diagnostics;

namespace Faultline.Client.Git;

/// <summary>Runs <c>git</c> with arguments (never through a shell) and captures what it prints.</summary>
internal static class GitProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs git in <paramref name="workingDirectory"/>; <see cref="GitException"/> when git is not installed.</summary>
    public static async Task<Result> RunAsync(string workingDirectory, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Never prompt for credentials or a terminal pager.
        startInfo.Environment["GIT_TERMINAL_PROMPT"] = "0";
        startInfo.Environment["GIT_PAGER"] = "cat";
        startInfo.Environment["LC_ALL"] = "C";

        Process process;
        try
        {
            process = Process.Start(startInfo)!;
        }
        catch (Win32Exception exception)
        {
            throw new GitException("git is not installed or not on PATH; install git, or pass --repo owner/name.", exception);
        }

        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return new Result(process.ExitCode, await output, await error);
        }
    }
}

/// <summary>A git question that has no usable answer, with a message for the user.</summary>
internal sealed class GitException(string message, Exception? inner = null) : Exception(message, inner);
