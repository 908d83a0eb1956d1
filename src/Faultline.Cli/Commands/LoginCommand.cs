using System.CommandLine;
using System.Diagnostics;
using Faultline.Client;
using Faultline.Contracts;

namespace Faultline.Cli.Commands;

/// <summary>
/// <c>faultline login [--server URL]</c>: local mode signs in at once; GitHub mode runs the device
/// flow (prints the code and URL, opens the browser when it can, waits with a spinner).
/// </summary>
internal static class LoginCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("login", "Sign in to a Faultline server and save the session");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(async () =>
        {
            var server = ServerAddress.Resolve(parseResult.GetValue(CliApp.ServerOption), context.Environment, context.Store);
            using var client = new FaultlineClient(server);
            var printer = new Printer(context);
            var config = await client.GetAuthConfigAsync(cancellationToken);
            TokenPair tokens;
            if (config.Mode == "local")
            {
                tokens = await client.SignInLocalAsync(cancellationToken);
            }
            else
            {
                var authorization = await client.StartDeviceAuthorizationAsync(cancellationToken);
                await printer.LineAsync("To sign in, open ", authorization.VerificationUri);
                await printer.LineAsync("and enter the code ", authorization.UserCode);
                TryOpenBrowser(authorization.VerificationUri);
                var login = new DeviceLogin(client, context.Time, (interval, token) => Task.Delay(interval, context.Time, token));
                var (approved, failure) = await printer.WaitAsync("Waiting for you to approve the sign-in in the browser…",
                    () => login.WaitAsync(authorization, cancellationToken));
                if (approved is null)
                {
                    return await context.FailAsync(failure!, ExitCodes.Failure);
                }

                tokens = approved;
            }

            context.Store.Save(StoredAccessToken.Credentials(server, tokens, context.Time));
            using var signedIn = new FaultlineClient(server, new FixedAccessToken(tokens.AccessToken));
            var me = await signedIn.GetMeAsync(cancellationToken);
            await printer.LineAsync($"Signed in to {ServerAddress.Format(server)} as ", me.GithubLogin, ".");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Best effort: no browser, no display or no xdg-open is fine, the URL is printed.</summary>
    private static void TryOpenBrowser(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return;
        }

        try
        {
            var startInfo = new ProcessStartInfo(OperatingSystem.IsMacOS() ? "open" : "xdg-open", uri.AbsoluteUri)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(startInfo);
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // Silently ignored: the URL is on the screen.
        }
    }
}
