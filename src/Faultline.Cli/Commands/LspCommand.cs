using System.CommandLine;
using Faultline.LanguageServer;

namespace Faultline.Cli.Commands;

/// <summary>
/// <c>faultline lsp</c>: the language server over stdin/stdout, for editors to start. stdout carries
/// only the protocol; the server logs to stderr.
/// </summary>
internal static class LspCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("lsp", "Run the language server (Language Server Protocol over stdin/stdout) for your editor");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(async () =>
        {
            await using var input = Console.OpenStandardInput();
            await using var output = Console.OpenStandardOutput();
            return await LanguageServerHost.RunAsync(input, output, parseResult.GetValue(CliApp.ServerOption), cancellationToken);
        }));
        return command;
    }
}
