using System.CommandLine;
using Faultline.Client;
using Faultline.Client.Git;
using Faultline.Contracts;

namespace Faultline.Cli.Commands;

/// <summary>
/// <c>faultline incidents [--repo owner/name] [--status open|resolved|all] [--file PATH]
/// [--environment E] [--limit N] [--json]</c>; the repository defaults to the checkout's <c>origin</c>.
/// </summary>
internal static class IncidentsCommand
{
    public static Command Create(CliContext context)
    {
        var repository = RepositoryArgument.CreateOption("--repo", "The GitHub repository, owner/name (default: this checkout's origin remote)");
        var status = new Option<string>("--status") { Description = "Which incidents", DefaultValueFactory = _ => IncidentStatus.Open };
        status.AcceptOnlyFromAmong(IncidentStatus.Open, IncidentStatus.Resolved, IncidentStatus.All);
        var file = new Option<string?>("--file") { Description = "Only incidents in this file (path from the repository root)" };
        var environment = new Option<string?>("--environment") { Description = "Only incidents from this environment, e.g. production" };
        var limit = new Option<int>("--limit") { Description = "How many, newest first (1-200)", DefaultValueFactory = _ => 50 };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 200)
            {
                result.AddError("--limit must be from 1 to 200.");
            }
        });
        var json = CliApp.JsonOption();
        var command = new Command("incidents", "List a repository's incidents, newest first") { repository, status, file, environment, limit, json };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(async () =>
        {
            var repositoryName = parseResult.GetValue(repository)
                ?? await GitRemote.ResolveOriginAsync(context.WorkingDirectory, GitRemote.Hosts(context.Environment), cancellationToken);
            using var client = context.CreateClient(parseResult.GetValue(CliApp.ServerOption));
            var query = new IncidentQuery(
                Status: parseResult.GetValue(status), Environment: parseResult.GetValue(environment),
                FilePath: parseResult.GetValue(file), Limit: parseResult.GetValue(limit));
            var page = (await client.ListIncidentsAsync(repositoryName, query, ifNoneMatch: null, cancellationToken)).Value!;
            await PrintAsync(context, repositoryName, page, parseResult.GetValue(json));
            return ExitCodes.Ok;
        }, notFound: $"No project for {parseResult.GetValue(repository) ?? "this repository"} on this server (or it is not yours); create one with `faultline projects create owner/name`."));
        return command;
    }

    private static async Task PrintAsync(CliContext context, string repository, IncidentPage page, bool json)
    {
        var printer = new Printer(context);
        if (json)
        {
            await printer.JsonAsync(page, IncidentsJsonContext.Default.IncidentPage);
            return;
        }

        if (page.Incidents.Count == 0)
        {
            await printer.LineAsync($"No incidents in {repository}.");
            return;
        }

        var now = context.Time.GetUtcNow();
        await printer.TableAsync(
            ["INCIDENT", "STATUS", "ENVIRONMENT", "LOCATION", "ERROR", "OCCURRED"],
            [.. page.Incidents.Select(i => (IReadOnlyList<string>)[
                i.IncidentId, i.Status, i.Environment, Location(i), Printer.Shorten(Title(i)),
                context.OutputIsTerminal ? Printer.Ago(i.OccurredAt, now) : Printer.Timestamp(i.OccurredAt)])],
            (column, cell) => column switch
            {
                1 => cell == IncidentStatus.Open ? "red" : "green",
                2 => cell == "production" ? "bold" : "dim",
                _ => null,
            });
        if (page.NextCursor is not null && context.OutputIsTerminal)
        {
            await printer.LineAsync($"Showing the newest {page.Incidents.Count}; use --limit (up to 200) or --json for more.");
        }
    }

    public static string Location(Incident incident) =>
        incident.FilePath is null ? "" : incident.LineNumber is { } line ? $"{incident.FilePath}:{line}" : incident.FilePath;

    public static string Title(Incident incident) =>
        incident.ErrorType is { Length: > 0 } type && !incident.ErrorMessage.StartsWith(type, StringComparison.Ordinal)
            ? $"{type}: {incident.ErrorMessage}"
            : incident.ErrorMessage;
}
