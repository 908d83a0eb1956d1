using System.CommandLine;

namespace Faultline.Cli.Commands;

/// <summary><c>faultline resolve inc_… [--json]</c>.</summary>
internal static class ResolveCommand
{
    public static Command Create(CliContext context) =>
        IncidentStatusChange.Create(context, "resolve", "Mark an incident resolved", "Resolved",
            (client, incidentId, cancellationToken) => client.ResolveIncidentAsync(incidentId, cancellationToken));
}
