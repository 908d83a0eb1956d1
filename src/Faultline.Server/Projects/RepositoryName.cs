using System.Text.RegularExpressions;

namespace Faultline.Server.Projects;

/// <summary>
/// GitHub's <c>owner/name</c> with GitHub's character rules: the owner 1–39 letters, digits or single
/// hyphens, not at either end; the name 1–100 of <c>[A-Za-z0-9._-]</c>, but not "." or "..".
/// </summary>
internal static partial class RepositoryName
{
    public static bool TryParse(string? fullName, out string owner, out string name)
    {
        owner = name = string.Empty;
        var parts = (fullName ?? string.Empty).Split('/');
        if (parts.Length != 2 || !Owner().IsMatch(parts[0]) || !Name().IsMatch(parts[1]) || parts[1] is "." or "..")
        {
            return false;
        }

        (owner, name) = (parts[0], parts[1]);
        return true;
    }

    [GeneratedRegex(@"^(?=.{1,39}$)[A-Za-z0-9](?:-?[A-Za-z0-9])*$")]
    private static partial Regex Owner();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex Name();
}
