using System.CommandLine;
using Faultline.Client;
using Faultline.Contracts;

namespace Faultline.Cli.Commands;

/// <summary>The shape shared by <c>resolve</c> and <c>reopen</c>: one incident id in, the changed incident out.</summary>
internal static class IncidentStatusChange
{
    public static Command Create(
        CliContext context, string name, string description, string done,
        Func<FaultlineClient, string, CancellationToken, Task<Incident>> change)
    {
        var incidentId = IncidentIdArgument.Create();
        var json = CliApp.JsonOption();
        var command = new Command(name, description) { incidentId, json };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(async () =>
        {
            using var client = context.CreateClient(parseResult.GetValue(CliApp.ServerOption));
            var incident = await change(client, parseResult.GetValue(incidentId)!, cancellationToken);
            if (parseResult.GetValue(json))
            {
                await new Printer(context).JsonAsync(incident, IncidentsJsonContext.Default.Incident);
            }
            else
            {
                await context.Output.WriteLineAsync($"{done} {incident.IncidentId} ({Printer.Shorten(IncidentsCommand.Title(incident), 60)}).");
            }

            return ExitCodes.Ok;
        }, IncidentIdArgument.NotFound(parseResult.GetValue(incidentId)!)));
        return command;
    }
}
