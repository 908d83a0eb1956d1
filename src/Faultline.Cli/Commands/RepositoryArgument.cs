using System.CommandLine;
using System.CommandLine.Parsing;

namespace Faultline.Cli.Commands;

/// <summary>An <c>owner/name</c> argument or option; anything else is a usage error.</summary>
internal static class RepositoryArgument
{
    public static Argument<string> Create(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description };
        argument.Validators.Add(result => Validate(result, result.GetValueOrDefault<string>()));
        return argument;
    }

    public static Option<string?> CreateOption(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description };
        option.Validators.Add(result => Validate(result, result.GetValueOrDefault<string?>()));
        return option;
    }

    public static bool IsRepository(string? value) =>
        value?.Split('/') is [var owner, var repository] && owner.Length > 0 && repository.Length > 0
        && !value.Any(char.IsWhiteSpace);

    private static void Validate(SymbolResult result, string? value)
    {
        if (value is not null && !IsRepository(value))
        {
            result.AddError($"'{value}' is not a repository name like owner/name.");
        }
    }
}
