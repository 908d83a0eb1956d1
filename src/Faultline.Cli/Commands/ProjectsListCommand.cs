using System.CommandLine;
using Faultline.Contracts;

namespace Faultline.Cli.Commands;

/// <summary><c>faultline projects list [--json]</c>.</summary>
internal static class ProjectsListCommand
{
    public static Command Create(CliContext context)
    {
        var json = CliApp.JsonOption();
        var command = new Command("list", "List the projects you own") { json };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(async () =>
        {
            using var client = context.CreateClient(parseResult.GetValue(CliApp.ServerOption));
            var list = await client.ListProjectsAsync(cancellationToken);
            var printer = new Printer(context);
            if (parseResult.GetValue(json))
            {
                await printer.JsonAsync(list, ClientJsonContext.Default.ProjectList);
            }
            else if (list.Projects.Count == 0)
            {
                await printer.LineAsync("No projects yet. Create one with `faultline projects create owner/name`.");
            }
            else
            {
                await printer.TableAsync(
                    ["PROJECT", "NUMBER", "REPOSITORY", "PLATFORM", "CREATED"],
                    [.. list.Projects.Select(p => (IReadOnlyList<string>)[
                        p.ProjectId, p.ProjectNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), p.RepoFullName, p.Platform,
                        p.CreatedAt is { } created ? Printer.Timestamp(created) : ""])]);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
