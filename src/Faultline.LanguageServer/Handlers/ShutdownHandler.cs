using StreamJsonRpc;

namespace Faultline.LanguageServer.Handlers;

/// <summary><c>shutdown</c>: stop working, answer, and wait for <c>exit</c>.</summary>
internal sealed class ShutdownHandler(Lifecycle lifecycle)
{
    [JsonRpcMethod("shutdown")]
    public object? Shutdown()
    {
        lifecycle.ShutdownRequested = true;
        return null;
    }
}
