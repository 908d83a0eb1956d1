using StreamJsonRpc;

namespace Faultline.LanguageServer.Handlers;

/// <summary><c>exit</c>: the process ends (code 0 after <c>shutdown</c>, else 1).</summary>
internal sealed class ExitHandler(Lifecycle lifecycle)
{
    [JsonRpcMethod("exit")]
    public void Exit() => lifecycle.Exit();
}
