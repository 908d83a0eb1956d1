namespace Faultline.LanguageServer.Workspace;

/// <summary>
/// <c>owner/name</c> from an <c>origin</c> remote URL (<c>https://github.com/o/r.git</c>,
/// <c>git@github.com:o/r.git</c>, <c>ssh://git@host:22/o/r.git</c>). A private minimal version
/// until the shared parser (Faultline.Client's GitRemote) lands; then this should use it.
/// </summary>
internal sealed record RepositoryName(string Owner, string Name)
{
    public string FullName => $"{Owner}/{Name}";

    public static RepositoryName? Parse(string? remoteUrl)
    {
        if (string.IsNullOrWhiteSpace(remoteUrl))
        {
            return null;
        }

        var url = remoteUrl.Trim();
        string path;
        if (url.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                return null;
            }

            path = uri.AbsolutePath;
        }
        else if (url.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
        {
            // scp-like: [user@]host:owner/name.git
            path = url[(colon + 1)..];
        }
        else
        {
            return null;
        }

        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2)
        {
            return null;
        }

        var name = segments[^1].EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? segments[^1][..^4] : segments[^1];
        return name.Length == 0 ? null : new RepositoryName(segments[^2], name);
    }
}
