using System.CommandLine;

namespace Faultline.Cli.Commands;

/// <summary><c>faultline reopen inc_… [--json]</c>.</summary>
internal static class ReopenCommand
{
    public static Command Create(CliContext context) =>
        IncidentStatusChange.Create(context, "reopen", "Reopen a resolved incident", "Reopened",
            (client, incidentId, cancellationToken) => client.ReopenIncidentAsync(incidentId, cancellationToken));
}
