using Faultline.LanguageServer.Protocol;
using Faultline.LanguageServer.Workspace;
using StreamJsonRpc;

namespace Faultline.LanguageServer.Handlers;

/// <summary><c>textDocument/didOpen</c>: the buffer replaces the working tree file for line mapping.</summary>
internal sealed class DidOpenHandler(FaultlineWorkspace workspace)
{
    [JsonRpcMethod("textDocument/didOpen", UseSingleObjectParameterDeserialization = true)]
    public void DidOpen(DidOpenTextDocumentParams parameters)
    {
        if (DocumentStore.ToPath(parameters.TextDocument.Uri) is { } path)
        {
            workspace.Documents.Open(path, parameters.TextDocument);
            workspace.ScheduleRemap(path, TimeSpan.Zero);
        }
    }
}
