using Faultline.Contracts;

namespace Faultline.Server.Projects;

/// <summary>
/// What a code mapping may hold: a non-empty <c>stack_root</c> (a path prefix as frames show it),
/// a <c>source_root</c> relative to the repository root (empty for the root itself), each at most
/// 1024 characters, each stack_root once, at most 100 mappings.
/// </summary>
internal static class CodeMappingRules
{
    public const int MaxMappings = 100;
    public const int MaxLength = 1024;

    public static Dictionary<string, string[]> Validate(IReadOnlyList<CodeMapping>? mappings)
    {
        var errors = new Dictionary<string, string[]>();
        if (mappings is null)
        {
            errors["code_mappings"] = ["Required."];
            return errors;
        }

        if (mappings.Count > MaxMappings)
        {
            errors["code_mappings"] = [$"At most {MaxMappings} mappings."];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < mappings.Count; i++)
        {
            var (stackRoot, sourceRoot) = (mappings[i]?.StackRoot, mappings[i]?.SourceRoot);
            if (string.IsNullOrEmpty(stackRoot) || stackRoot.Length > MaxLength || stackRoot.Any(char.IsControl))
            {
                errors[$"code_mappings[{i}].stack_root"] = [$"Required: a path prefix of 1 to {MaxLength} characters."];
            }
            else if (!seen.Add(stackRoot))
            {
                errors[$"code_mappings[{i}].stack_root"] = ["Appears more than once."];
            }

            if (sourceRoot is null || sourceRoot.Length > MaxLength || sourceRoot.Any(char.IsControl)
                || sourceRoot.StartsWith('/') || sourceRoot.Contains('\\', StringComparison.Ordinal)
                || sourceRoot.Split('/').Any(segment => segment == ".."))
            {
                errors[$"code_mappings[{i}].source_root"] = ["Required: a path relative to the repository root (\"\" for the root), without \"..\"."];
            }
        }

        return errors;
    }
}
