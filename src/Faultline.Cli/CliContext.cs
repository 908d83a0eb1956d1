using Faultline.Client;
using Faultline.Client.Git;

namespace Faultline.Cli;

/// <summary>What a command may touch: the environment, the credential store, the clock and the console.</summary>
internal sealed class CliContext(
    Func<string, string?> environment, CredentialStore store, TimeProvider time, TextWriter output, TextWriter error,
    bool outputIsTerminal, string workingDirectory)
{
    public Func<string, string?> Environment { get; } = environment;
    public CredentialStore Store { get; } = store;
    public TimeProvider Time { get; } = time;
    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>Tables, colours and spinners only when stdout is a terminal; plain text when piped.</summary>
    public bool OutputIsTerminal { get; } = outputIsTerminal;
    public string WorkingDirectory { get; } = workingDirectory;

    public static CliContext FromProcess() => new(
        System.Environment.GetEnvironmentVariable,
        CredentialStore.Default(System.Environment.GetEnvironmentVariable),
        TimeProvider.System,
        Console.Out,
        Console.Error,
        !Console.IsOutputRedirected,
        Directory.GetCurrentDirectory());

    public FaultlineClient CreateClient(string? server) => ServerAddress.CreateClient(server, Environment, Store, Time);

    /// <summary>
    /// Runs a command body and turns the failures every command shares into one line on stderr and
    /// an exit code; <paramref name="notFound"/> says what was not found when the server answers 404.
    /// </summary>
    public async Task<int> RunAsync(Func<Task<int>> body, string? notFound = null)
    {
        try
        {
            return await body();
        }
        catch (NotSignedInException exception)
        {
            return await FailAsync(exception.Message, ExitCodes.NotSignedIn);
        }
        catch (ServerUnreachableException exception)
        {
            return await FailAsync(exception.Message, ExitCodes.Failure);
        }
        catch (FaultlineApiException exception) when (exception.Status == 404 && notFound is not null)
        {
            return await FailAsync(notFound, ExitCodes.Failure);
        }
        catch (FaultlineApiException exception)
        {
            var errors = exception.Problem.Errors is { Count: > 0 } fields
                ? " " + string.Join("; ", fields.Select(field => $"{field.Key}: {string.Join(' ', field.Value)}"))
                : "";
            return await FailAsync($"{exception.Message} (HTTP {exception.Status}){errors}", ExitCodes.Failure);
        }
        catch (GitException exception)
        {
            return await FailAsync(exception.Message, ExitCodes.Usage);
        }
        catch (ArgumentException exception)
        {
            return await FailAsync(exception.Message, ExitCodes.Usage);
        }
        catch (OperationCanceledException)
        {
            return await FailAsync("Cancelled.", ExitCodes.Failure);
        }
    }

    public async Task<int> FailAsync(string message, int exitCode)
    {
        await Error.WriteLineAsync($"faultline: {message}");
        return exitCode;
    }
}
