using Faultline.LanguageServer.Protocol;
using Faultline.LanguageServer.Workspace;
using StreamJsonRpc;

namespace Faultline.LanguageServer.Handlers;

/// <summary><c>textDocument/didClose</c>: back to the working tree file (unsaved edits are gone).</summary>
internal sealed class DidCloseHandler(FaultlineWorkspace workspace)
{
    [JsonRpcMethod("textDocument/didClose", UseSingleObjectParameterDeserialization = true)]
    public void DidClose(DidCloseTextDocumentParams parameters)
    {
        if (DocumentStore.ToPath(parameters.TextDocument.Uri) is { } path)
        {
            workspace.Documents.Close(path);
            workspace.ScheduleRemap(path, TimeSpan.Zero);
        }
    }
}
