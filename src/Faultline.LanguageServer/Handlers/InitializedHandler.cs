using System.Text.Json;
using Faultline.LanguageServer.Workspace;
using StreamJsonRpc;

namespace Faultline.LanguageServer.Handlers;

/// <summary><c>initialized</c>: the client is ready for notifications, so the first fetch starts.</summary>
internal sealed class InitializedHandler(FaultlineWorkspace workspace)
{
    [JsonRpcMethod("initialized", UseSingleObjectParameterDeserialization = true)]
    public void Initialized(JsonElement? parameters = null)
    {
        _ = parameters;
        workspace.Start();
    }
}
