using Faultline.LanguageServer.Protocol;
using Faultline.LanguageServer.Workspace;
using StreamJsonRpc;

namespace Faultline.LanguageServer.Handlers;

/// <summary>
/// <c>textDocument/didChange</c> (full or incremental): apply the edit to the buffer and move the
/// file's diagnostics after a short quiet time. No git, no HTTP, no diff here: typing stays cheap.
/// </summary>
internal sealed class DidChangeHandler(FaultlineWorkspace workspace, LanguageServerOptions options)
{
    [JsonRpcMethod("textDocument/didChange", UseSingleObjectParameterDeserialization = true)]
    public void DidChange(DidChangeTextDocumentParams parameters)
    {
        if (DocumentStore.ToPath(parameters.TextDocument.Uri) is { } path
            && workspace.Documents.Change(path, parameters.TextDocument, parameters.ContentChanges))
        {
            workspace.ScheduleRemap(path, options.ChangeDebounce);
        }
    }
}
