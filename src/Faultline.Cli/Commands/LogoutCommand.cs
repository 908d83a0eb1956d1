using System.CommandLine;
using Faultline.Client;

namespace Faultline.Cli.Commands;

/// <summary><c>faultline logout</c>: ends the session on the server and deletes the saved credentials.</summary>
internal static class LogoutCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("logout", "Sign out: revoke the saved session and delete it");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(async () =>
        {
            if (context.Store.Load() is not { } saved)
            {
                await context.Output.WriteLineAsync("Not signed in.");
                return ExitCodes.Ok;
            }

            var server = ServerAddress.Parse(saved.Server);
            using (var client = new FaultlineClient(server, new StoredAccessToken(context.Store, context.Time)))
            {
                try
                {
                    await client.RevokeAsync(cancellationToken);
                }
                catch (Exception exception) when (exception is ServerUnreachableException or NotSignedInException or FaultlineApiException)
                {
                    // The local copy goes anyway; say why the server may still know the session.
                    await context.Error.WriteLineAsync($"faultline: could not revoke the session on the server: {exception.Message}");
                }
            }

            context.Store.Delete();
            await context.Output.WriteLineAsync($"Signed out of {ServerAddress.Format(server)}.");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
