using System.CommandLine;
using Faultline.Core.Identifiers;

namespace Faultline.Cli.Commands;

/// <summary>An <c>inc_…</c> argument; anything else is a usage error.</summary>
internal static class IncidentIdArgument
{
    public static Argument<string> Create()
    {
        var argument = new Argument<string>("incident") { Description = "The incident id, inc_…" };
        argument.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && !PublicIds.IsIncidentId(value))
            {
                result.AddError($"'{value}' is not an incident id (inc_ followed by 26 characters).");
            }
        });
        return argument;
    }

    public static string NotFound(string incidentId) => $"Incident {incidentId} was not found (or it is not yours).";
}
