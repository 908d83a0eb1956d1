using System.CommandLine;
using Faultline.Contracts;

namespace Faultline.Cli.Commands;

/// <summary>
/// <c>faultline projects create owner/name [--json]</c>: prints the project id, the DSN and the
/// ingest key — the one place the CLI prints a secret, because handing it over is the point.
/// </summary>
internal static class ProjectsCreateCommand
{
    public static Command Create(CliContext context)
    {
        var repository = RepositoryArgument.Create("repository", "The GitHub repository, owner/name");
        var json = CliApp.JsonOption();
        var command = new Command("create", "Create a project for a GitHub repository and print its DSN and ingest key") { repository, json };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(async () =>
        {
            using var client = context.CreateClient(parseResult.GetValue(CliApp.ServerOption));
            var project = await client.CreateProjectAsync(parseResult.GetValue(repository)!, cancellationToken);
            var printer = new Printer(context);
            if (parseResult.GetValue(json))
            {
                await printer.JsonAsync(project, ClientJsonContext.Default.ProjectInfo);
                return ExitCodes.Ok;
            }

            await printer.LineAsync($"Created {project.ProjectId} for {project.RepoFullName}.");
            await printer.LineAsync("project_id:     ", project.ProjectId);
            await printer.LineAsync("dsn:            ", project.Dsn ?? "");
            await printer.LineAsync("ingest_api_key: ", project.IngestApiKey ?? "");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
