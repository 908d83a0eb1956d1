using System.CommandLine;
using Faultline.Contracts;

namespace Faultline.Cli.Commands;

/// <summary><c>faultline show inc_… [--json]</c>: one incident with its stack trace.</summary>
internal static class ShowCommand
{
    public static Command Create(CliContext context)
    {
        var incidentId = IncidentIdArgument.Create();
        var json = CliApp.JsonOption();
        var command = new Command("show", "Show one incident with its stack trace") { incidentId, json };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(async () =>
        {
            using var client = context.CreateClient(parseResult.GetValue(CliApp.ServerOption));
            var incident = await client.GetIncidentAsync(parseResult.GetValue(incidentId)!, cancellationToken);
            await PrintAsync(context, incident, parseResult.GetValue(json));
            return ExitCodes.Ok;
        }, IncidentIdArgument.NotFound(parseResult.GetValue(incidentId)!)));
        return command;
    }

    /// <summary>The incident as JSON, or as labelled lines with the stack trace last.</summary>
    public static async Task PrintAsync(CliContext context, Incident incident, bool json)
    {
        var printer = new Printer(context);
        if (json)
        {
            await printer.JsonAsync(incident, IncidentsJsonContext.Default.Incident);
            return;
        }

        await printer.LineAsync($"{incident.IncidentId}  ", IncidentsCommand.Title(incident));
        await printer.LineAsync($"status:       {incident.Status}{(incident.ResolvedAt is { } resolved ? $" ({Printer.Timestamp(resolved)})" : "")}");
        await printer.LineAsync($"environment:  {incident.Environment}");
        await printer.LineAsync($"location:     {IncidentsCommand.Location(incident)}{(incident.ColumnNumber is { } column ? $":{column}" : "")}");
        await printer.LineAsync($"commit:       {incident.CommitSha}");
        await printer.LineAsync($"occurred:     {Printer.Timestamp(incident.OccurredAt)}");
        if (incident.Fingerprint is not null)
        {
            await printer.LineAsync($"fingerprint:  {incident.Fingerprint}");
        }

        if (!string.IsNullOrWhiteSpace(incident.StackTrace))
        {
            await printer.LineAsync("");
            await printer.LineAsync(incident.StackTrace.TrimEnd());
        }
    }
}
