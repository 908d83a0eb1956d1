using Faultline.LanguageServer.Protocol;
using Faultline.LanguageServer.Workspace;
using StreamJsonRpc;

namespace Faultline.LanguageServer.Handlers;

/// <summary><c>initialize</c>: settings from <c>initializationOptions</c>, one repository per workspace folder.</summary>
internal sealed class InitializeHandler(FaultlineWorkspace workspace)
{
    [JsonRpcMethod("initialize", UseSingleObjectParameterDeserialization = true)]
    public async Task<InitializeResult> InitializeAsync(InitializeParams parameters, CancellationToken cancellationToken)
    {
        workspace.ApplySettings(parameters.InitializationOptions);
        var folders = parameters.WorkspaceFolders is { Count: > 0 } list
            ? list.Select(f => f.Uri)
            : parameters.RootUri is { } root ? [root] : [];
        foreach (var folder in folders)
        {
            await workspace.AddFolderAsync(folder, cancellationToken);
        }

        return new InitializeResult(
            new ServerCapabilities(
                new TextDocumentSyncOptions(OpenClose: true, TextDocumentSyncKind.Incremental),
                HoverProvider: true,
                new CodeActionOptions(["quickfix"]),
                new ExecuteCommandOptions(FaultlineCommands.All),
                new WorkspaceServerCapabilities(new WorkspaceFoldersServerCapabilities(Supported: true, ChangeNotifications: true))),
            new ServerInfo("faultline", typeof(InitializeHandler).Assembly.GetName().Version?.ToString()));
    }
}
