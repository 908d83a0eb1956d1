using Faultline.LanguageServer.Protocol;
using Faultline.LanguageServer.Workspace;
using StreamJsonRpc;

namespace Faultline.LanguageServer.Handlers;

/// <summary><c>workspace/didChangeWorkspaceFolders</c>: repositories come and go with their folders.</summary>
internal sealed class DidChangeWorkspaceFoldersHandler(FaultlineWorkspace workspace)
{
    [JsonRpcMethod("workspace/didChangeWorkspaceFolders", UseSingleObjectParameterDeserialization = true)]
    public async Task DidChangeWorkspaceFoldersAsync(DidChangeWorkspaceFoldersParams parameters, CancellationToken cancellationToken)
    {
        foreach (var removed in parameters.Event.Removed)
        {
            await workspace.RemoveFolderAsync(removed.Uri);
        }

        foreach (var added in parameters.Event.Added)
        {
            await workspace.AddFolderAsync(added.Uri, cancellationToken);
        }
    }
}
