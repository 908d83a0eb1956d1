using Faultline.LanguageServer.Protocol;
using Faultline.LanguageServer.Workspace;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Faultline.LanguageServer.Handlers;

/// <summary><c>workspace/executeCommand</c>: <c>faultline.refresh</c>, <c>faultline.resolve</c>, <c>faultline.openInDashboard</c>.</summary>
internal sealed class ExecuteCommandHandler(FaultlineWorkspace workspace, JsonRpc rpc)
{
    [JsonRpcMethod("workspace/executeCommand", UseSingleObjectParameterDeserialization = true)]
    public async Task<object?> ExecuteCommandAsync(ExecuteCommandParams parameters, CancellationToken cancellationToken)
    {
        var target = FaultlineCommands.ReadTarget(parameters.Arguments, workspace.ProtocolJson);
        switch (parameters.Command)
        {
            case FaultlineCommands.Refresh:
                await workspace.RefreshAllAsync(cancellationToken);
                return null;
            case FaultlineCommands.Resolve when target is not null:
                return await workspace.ResolveAsync(target, cancellationToken);
            case FaultlineCommands.OpenInDashboard when workspace.DashboardUrl(target?.IncidentId) is { } url:
                var shown = await rpc.InvokeWithParameterObjectAsync<ShowDocumentResult?>(
                    LspMethods.ShowDocument, new ShowDocumentParams(url.AbsoluteUri, External: true, TakeFocus: true), cancellationToken);
                return shown?.Success ?? false;
            default:
                throw new LocalRpcException($"Unknown command or missing argument: {parameters.Command}") { ErrorCode = (int)JsonRpcErrorCode.InvalidParams };
        }
    }
}
