using System.CommandLine;

namespace Faultline.Cli.Commands;

/// <summary><c>faultline projects list|create</c>.</summary>
internal static class ProjectsCommand
{
    public static Command Create(CliContext context) =>
        new("projects", "List or create the projects you own")
        {
            ProjectsListCommand.Create(context),
            ProjectsCreateCommand.Create(context),
        };
}
