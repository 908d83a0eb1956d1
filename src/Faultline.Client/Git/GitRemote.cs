using System.Text.RegularExpressions;

namespace Faultline.Client.Git;

/// <summary>
/// The GitHub repository (<c>owner/repo</c>) of a checkout, from its <c>origin</c> remote:
/// <c>https://github.com/o/r(.git)</c> (credentials in the URL ignored and never echoed),
/// <c>ssh://git@github.com/o/r.git</c>, <c>git@github.com:o/r.git</c>, <c>git://github.com/o/r</c>.
/// GitHub Enterprise: its host counts as GitHub when listed in <c>FAULTLINE_GITHUB_HOSTS</c>
/// (comma-separated); any other host is refused with a message, because a GitLab or Bitbucket
/// repository of the same name is not the repository a Faultline project belongs to.
/// </summary>
internal static partial class GitRemote
{
    public const string HostsVariable = "FAULTLINE_GITHUB_HOSTS";
    public const string GitHubHost = "github.com";

    /// <summary>The GitHub hosts accepted: github.com and those in <see cref="HostsVariable"/>.</summary>
    public static IReadOnlyList<string> Hosts(Func<string, string?> environment) =>
        [GitHubHost, .. (environment(HostsVariable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary><c>owner/repo</c> of the checkout containing <paramref name="directory"/>; <see cref="GitException"/> with a message otherwise.</summary>
    public static async Task<string> ResolveOriginAsync(string directory, IReadOnlyList<string> hosts, CancellationToken cancellationToken)
    {
        var result = await GitProcess.RunAsync(directory, ["remote", "get-url", "origin"], cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new GitException(result.Error.Contains("not a git repository", StringComparison.OrdinalIgnoreCase)
                ? $"{directory} is not inside a git checkout; pass --repo owner/name."
                : "This checkout has no `origin` remote; pass --repo owner/name.");
        }

        var url = result.Output.Trim();
        if (!TryParse(url, out var host, out var repository))
        {
            throw new GitException($"The `origin` remote ({Redact(url)}) is not a repository URL Faultline understands; pass --repo owner/name.");
        }

        if (!hosts.Contains(host, StringComparer.OrdinalIgnoreCase))
        {
            throw new GitException($"The `origin` remote is on {host}, not GitHub; pass --repo owner/name (for GitHub Enterprise, add the host to {HostsVariable}).");
        }

        return repository;
    }

    /// <summary>Splits a remote URL into its host and <c>owner/repo</c> (without <c>.git</c>).</summary>
    public static bool TryParse(string url, out string host, out string repository)
    {
        host = repository = "";
        string path;
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "ssh" or "git" or "git+ssh")
        {
            host = uri.Host;
            path = uri.AbsolutePath;
        }
        else if (ScpLike().Match(url) is { Success: true } match)
        {
            host = match.Groups["host"].Value;
            path = match.Groups["path"].Value;
        }
        else
        {
            return false;
        }

        var parts = path.Trim('/').Split('/');
        if (parts is not [var owner, var name] || owner.Length == 0 || name.Length == 0)
        {
            return false;
        }

        if (name.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^4];
        }

        host = host.ToLowerInvariant();
        repository = $"{owner}/{name}";
        return name.Length > 0;
    }

    /// <summary>The URL without any user name or password, for messages.</summary>
    public static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString()
            : url;

    // [user@]host:path — scp-like syntax, which git uses when there is no "://" and the part before ':' has no '/'.
    [GeneratedRegex(@"^(?:[^@/]+@)?(?<host>[^:/]+):(?!//)(?<path>[^\s]+)$")]
    private static partial Regex ScpLike();
}
