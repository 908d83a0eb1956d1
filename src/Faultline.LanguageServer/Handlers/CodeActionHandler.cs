using Faultline.LanguageServer.Diagnostics;
using Faultline.LanguageServer.Protocol;
using Faultline.LanguageServer.Workspace;
using StreamJsonRpc;

namespace Faultline.LanguageServer.Handlers;

/// <summary><c>textDocument/codeAction</c>: "Resolve in Faultline" and "Open in dashboard" for each Faultline diagnostic in range.</summary>
internal sealed class CodeActionHandler(FaultlineWorkspace workspace)
{
    [JsonRpcMethod("textDocument/codeAction", UseSingleObjectParameterDeserialization = true)]
    public IReadOnlyList<CodeAction> CodeAction(CodeActionParams parameters)
    {
        if (DocumentStore.ToPath(parameters.TextDocument.Uri) is not { } path)
        {
            return [];
        }

        var inContext = parameters.Context.Diagnostics
            .Where(d => d.Source == DiagnosticsBuilder.Source)
            .Select(d => d.Code?.ToString())
            .ToHashSet(StringComparer.Ordinal);
        var targets = workspace.Publisher.Get(path)
            .Where(d => inContext.Contains(d.Source.Group.Fingerprint)
                || (d.Line >= parameters.Range.Start.Line && d.Line <= parameters.Range.End.Line));

        var actions = new List<CodeAction>();
        foreach (var diagnostic in targets)
        {
            var group = diagnostic.Source.Group;
            var target = new CommandTarget(parameters.TextDocument.Uri, group.Fingerprint, group.LatestIncidentId);
            var title = MessageFormatter.Title(group);
            actions.Add(new CodeAction(
                $"Resolve in Faultline: {title}", "quickfix", [diagnostic.Diagnostic],
                new Command("Resolve in Faultline", FaultlineCommands.Resolve, [target])));
            if (group.LatestIncidentId is not null)
            {
                actions.Add(new CodeAction(
                    $"Open in dashboard: {title}", "quickfix", [diagnostic.Diagnostic],
                    new Command("Open in dashboard", FaultlineCommands.OpenInDashboard, [target])));
            }
        }

        return actions;
    }
}
