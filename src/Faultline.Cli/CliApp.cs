using System.CommandLine;
using Faultline.Cli.Commands;

namespace Faultline.Cli;

/// <summary>The command tree. Parse errors are usage errors (exit 2), reported before anything runs.</summary>
internal static class CliApp
{
    /// <summary><c>--server URL</c>, on every command.</summary>
    public static readonly Option<string?> ServerOption = new("--server")
    {
        Description = "Faultline server URL (default: $FAULTLINE_SERVER, else the one saved at login, else http://localhost:5080)",
        Recursive = true,
    };

    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("faultline: production errors of your repositories, from the terminal")
        {
            LoginCommand.Create(context),
            LogoutCommand.Create(context),
            ProjectsCommand.Create(context),
            IncidentsCommand.Create(context),
            ShowCommand.Create(context),
            ResolveCommand.Create(context),
            ReopenCommand.Create(context),
            LspCommand.Create(context),
        };
        root.Options.Add(ServerOption);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        var parseResult = Build(context).Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await context.Error.WriteLineAsync($"faultline: {error.Message}");
            }

            await context.Error.WriteLineAsync("Run 'faultline --help' for usage.");
            return ExitCodes.Usage;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        return await parseResult.InvokeAsync(cancellationToken: cancellation.Token);
    }

    /// <summary>An option that prints JSON for scripts instead of text.</summary>
    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON (for scripts) instead of text" };
}
