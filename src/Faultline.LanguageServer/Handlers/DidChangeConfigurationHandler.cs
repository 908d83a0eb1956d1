using Faultline.LanguageServer.Protocol;
using Faultline.LanguageServer.Workspace;
using StreamJsonRpc;

namespace Faultline.LanguageServer.Handlers;

/// <summary><c>workspace/didChangeConfiguration</c>: new server or refresh interval, applied at once.</summary>
internal sealed class DidChangeConfigurationHandler(FaultlineWorkspace workspace)
{
    [JsonRpcMethod("workspace/didChangeConfiguration", UseSingleObjectParameterDeserialization = true)]
    public void DidChangeConfiguration(DidChangeConfigurationParams parameters) => workspace.ApplySettings(parameters.Settings);
}
