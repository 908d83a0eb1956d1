using Faultline.LanguageServer.Diagnostics;
using Faultline.LanguageServer.Protocol;
using Faultline.LanguageServer.Workspace;
using StreamJsonRpc;

namespace Faultline.LanguageServer.Handlers;

/// <summary><c>textDocument/hover</c> on a Faultline line: the incident group, with the latest incident's stack trace (fetched on first hover).</summary>
internal sealed class HoverHandler(FaultlineWorkspace workspace)
{
    [JsonRpcMethod("textDocument/hover", UseSingleObjectParameterDeserialization = true)]
    public async Task<Hover?> HoverAsync(HoverParams parameters, CancellationToken cancellationToken)
    {
        if (DocumentStore.ToPath(parameters.TextDocument.Uri) is not { } path)
        {
            return null;
        }

        var here = workspace.Publisher.Get(path).Where(d => d.Line == parameters.Position.Line).ToList();
        if (here.Count == 0)
        {
            return null;
        }

        var sections = new List<string>(here.Count);
        foreach (var diagnostic in here)
        {
            var incidentId = diagnostic.Source.Group.LatestIncidentId;
            var incident = incidentId is null ? null : await workspace.GetIncidentAsync(incidentId, cancellationToken);
            sections.Add(HoverBuilder.Build(diagnostic, incident, workspace.DashboardUrl(incidentId), workspace.Time.GetUtcNow()));
        }

        return new Hover(new MarkupContent("markdown", string.Join("\n---\n\n", sections)), here[0].Diagnostic.Range);
    }
}
