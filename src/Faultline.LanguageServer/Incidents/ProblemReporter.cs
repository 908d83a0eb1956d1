using Faultline.Client;
using Faultline.LanguageServer.Protocol;
using StreamJsonRpc;

namespace Faultline.LanguageServer.Incidents;

/// <summary>
/// Tells the user, once, why there are no underlines and what to do: one <c>window/showMessage</c>
/// per problem until it goes away (a successful refresh clears it, so a later failure is told again).
/// </summary>
internal sealed class ProblemReporter(JsonRpc rpc)
{
    private readonly HashSet<string> shown = [];
    private readonly Lock gate = new();

    public async Task ReportAsync(string repository, ConnectionProblem problem, Uri? server, string? detail)
    {
        var key = problem == ConnectionProblem.NoProject ? $"{problem}:{repository}" : problem.ToString();
        lock (gate)
        {
            if (!shown.Add(key))
            {
                return;
            }
        }

        await rpc.NotifyWithParameterObjectAsync(LspMethods.ShowMessage, new ShowMessageParams(MessageType.Warning, Describe(repository, problem, server, detail)));
    }

    /// <summary>A refresh of <paramref name="repository"/> worked: forget the problems it proves gone.</summary>
    public void Clear(string repository)
    {
        lock (gate)
        {
            shown.RemoveWhere(key => !key.StartsWith($"{ConnectionProblem.NoProject}:", StringComparison.Ordinal) || key == $"{ConnectionProblem.NoProject}:{repository}");
        }
    }

    public static string Describe(string repository, ConnectionProblem problem, Uri? server, string? detail) => problem switch
    {
        ConnectionProblem.NotSignedIn => $"Faultline: not signed in to {Format(server)}. Run `faultline login --server {Format(server)}` in a terminal (or set FAULTLINE_TOKEN); production errors appear here by themselves once you are.",
        ConnectionProblem.NoServer => $"Faultline: {detail} Set the \"server\" setting (faultline.server in VS Code) to your Faultline server's URL.",
        ConnectionProblem.SignedOut => "Faultline: your session has ended (signed out or expired). Run `faultline login` again; this editor picks it up by itself.",
        ConnectionProblem.ServerDown => $"Faultline: cannot reach {server} ({detail}). Retrying in the background.",
        ConnectionProblem.NoProject => $"Faultline: {server} has no project for {repository} (or it is not yours). Create one with `faultline projects create {repository}`.",
        _ => $"Faultline: {problem}",
    };

    private static string Format(Uri? server) => server is null ? "the server" : ServerAddress.Format(server);
}
