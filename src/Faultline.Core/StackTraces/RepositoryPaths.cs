using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Faultline.Core.StackTraces;

/// <summary>
/// Turns a path from a stack frame into a path relative to the repository root. In order:
/// <list type="number">
/// <item>the project's code mappings, longest <c>stack_root</c> first (its prefix becomes <c>source_root</c>);</item>
/// <item>URL-like prefixes: <c>webpack-internal:///(rsc)/./</c>, <c>webpack-internal:///./</c>, <c>webpack:///./</c>,
/// <c>app:///</c>, <c>file://</c> (then the absolute path that remains), <c>http(s)://host/</c>;</item>
/// <item>known deployment roots (<see cref="DeploymentRoots"/>): <c>/var/task/</c>, <c>/vercel/path0/</c>, <c>/app/</c>,
/// <c>/usr/src/app/</c>, <c>/home/runner/work/&lt;repo&gt;/&lt;repo&gt;/</c>, <c>/opt/build/repo/</c>, …, keeping any
/// monorepo prefix after them;</item>
/// <item>Go: <c>…/src/github.com/owner/repo/</c> (GOPATH) and <c>github.com/owner/repo/</c> (<c>-trimpath</c>);</item>
/// <item>compiled bundles keep their path from <c>.next/</c> or <c>_next/</c> on;</item>
/// <item>heuristic for other absolute paths: cut at the first well-known source folder
/// (<see cref="SourceFolders"/>: <c>src/</c>, <c>app/</c>, <c>lib/</c>, …); if there is none the path is unmapped (<c>null</c>).</item>
/// </list>
/// Relative paths are kept (cleaned of <c>./</c> and leading <c>../</c>). Windows separators become <c>/</c>.
/// The result is never absolute.
/// </summary>
public static partial class RepositoryPaths
{
    /// <summary>Deployment roots, tried in order; each is a prefix of an absolute path (after <c>\</c> → <c>/</c>
    /// and without a drive letter). <c>*</c> stands for one path segment.</summary>
    internal static readonly string[] DeploymentRoots =
    [
        "/var/task/",                       // AWS Lambda, Vercel functions
        "/vercel/path0/",                   // Vercel build
        "/vercel/path1/",
        "/usr/src/app/",                    // Docker images (node, python)
        "/opt/build/repo/",                 // Netlify build
        "/opt/render/project/src/",         // Render
        "/home/runner/work/*/*/",           // GitHub Actions
        "/__w/*/*/",                        // GitHub Actions container jobs
        "/github/workspace/",               // GitHub Docker actions
        "/a/*/*/",                          // GitHub Actions Windows runners (D:\a\repo\repo\)
        "/builds/*/*/",                     // GitLab CI
        "/home/circleci/project/",          // CircleCI
        "/drone/src/",                      // Drone
        "/agent/_work/*/s/",                // Azure Pipelines
        "/home/vsts/work/*/s/",             // Azure Pipelines (hosted Linux)
        "/home/site/wwwroot/",              // Azure App Service (Linux)
        "/home/site/repository/",           // Azure App Service (Kudu)
        "/var/app/current/",                // AWS Elastic Beanstalk
        "/workspace/",                      // Cloud Build, buildpacks
        "/app/",                            // Heroku, Railway, Fly.io, most Dockerfiles
    ];

    /// <summary>Well-known source folders for the last-resort heuristic, matched as whole path segments.</summary>
    internal static readonly string[] SourceFolders =
        ["src", "app", "lib", "pages", "apps", "packages", "services", "cmd", "internal", "pkg"];

    private static readonly string[] BundleFolders = ["/.next/", "/_next/"];

    /// <summary>What <see cref="Clean"/> changes: control characters (<see cref="char.IsControl(char)"/>) and <c>\</c>.</summary>
    private static readonly SearchValues<char> ControlOrBackslash = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F" +
        "\u007F\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F" +
        "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F\\");

    /// <summary>The repository-relative path, or <c>null</c> when the path cannot be mapped.</summary>
    public static string? ToRepositoryPath(string path, IReadOnlyList<CodeMapping> mappings) =>
        Map(path, mappings).Path;

    /// <summary>Whether a path (raw or mapped) is a compiled bundle rather than a source file.</summary>
    public static bool IsCompiledBundle(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }

        var normalized = path.Replace('\\', '/');
        return normalized.StartsWith(".next/", StringComparison.Ordinal)
            || normalized.StartsWith("_next/", StringComparison.Ordinal)
            || normalized.Contains("/.next/", StringComparison.Ordinal)
            || normalized.Contains("/_next/", StringComparison.Ordinal);
    }

    internal readonly record struct MappedPath(string? Path, bool Compiled);

    internal static MappedPath Map(string? path, IReadOnlyList<CodeMapping>? mappings)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Length > StackTraceLimits.MaxPathChars)
        {
            return default;
        }

        var text = Clean(path);
        if (text.Length == 0)
        {
            return default;
        }

        if (mappings is { Count: > 0 } && ApplyCodeMapping(text, mappings) is { } mapped)
        {
            return Finish(mapped);
        }

        text = StripUrlPrefix(text);
        if (text.Length == 0)
        {
            return default;
        }

        var absolute = StripDrive(text, out var hadDrive);
        if (!hadDrive && !absolute.StartsWith('/'))
        {
            // Already relative: Go -trimpath module paths lose their module prefix, the rest is kept.
            return Finish(GoModuleRelative(absolute) ?? absolute);
        }

        foreach (var root in DeploymentRoots)
        {
            if (MatchRoot(absolute, root) is { } length)
            {
                return Finish(absolute[length..]);
            }
        }

        if (absolute.Contains("/src/", StringComparison.Ordinal) && GoPathRoot().Match(absolute) is { Success: true } goPath)
        {
            return Finish(absolute[(goPath.Index + goPath.Length)..]);
        }

        foreach (var bundleFolder in BundleFolders)
        {
            var bundle = absolute.IndexOf(bundleFolder, StringComparison.Ordinal);
            if (bundle >= 0)
            {
                return Finish(absolute[(bundle + 1)..]);
            }
        }

        var folder = FirstSourceFolder(absolute);
        return folder >= 0 ? Finish(absolute[folder..]) : default;
    }

    private static MappedPath Finish(string relative)
    {
        var cleaned = CleanRelative(relative);
        if (cleaned.Length == 0 || cleaned.StartsWith('/') || HasDrive(cleaned))
        {
            return default;
        }

        return new MappedPath(cleaned, IsCompiledBundle(cleaned));
    }

    private static string? ApplyCodeMapping(string text, IReadOnlyList<CodeMapping> mappings)
    {
        CodeMapping? best = null;
        var bestLength = -1;
        foreach (var mapping in mappings)
        {
            if (mapping?.StackRoot is not { Length: > 0 } stackRoot)
            {
                continue;
            }

            var root = stackRoot.Replace('\\', '/');
            var comparison = HasDrive(root) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (root.Length > bestLength && text.StartsWith(root, comparison))
            {
                best = mapping;
                bestLength = root.Length;
            }
        }

        if (best is null)
        {
            return null;
        }

        var source = (best.SourceRoot ?? string.Empty).Replace('\\', '/').TrimStart('/');
        var rest = text[bestLength..].TrimStart('/');
        return source.Length == 0 ? rest : source.TrimEnd('/') + "/" + rest;
    }

    private static string StripUrlPrefix(string text)
    {
        // The patterns below start with w, a, f and h (in either case); most paths start with / or a letter else.
        if (text[0] is not ('w' or 'W' or 'a' or 'A' or 'f' or 'F' or 'h' or 'H'))
        {
            return text;
        }

        if (text[0] is 'w' or 'W' && WebpackPrefix().Match(text) is { Success: true } webpack)
        {
            return text[webpack.Length..];
        }

        if (text.StartsWith("app:///", StringComparison.OrdinalIgnoreCase))
        {
            return StripQuery(text["app:///".Length..]);
        }

        if (text.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = text["file://".Length..];
            // file:///C:/x → C:/x; file:///var/task/x → /var/task/x
            return rest.Length > 3 && rest[0] == '/' && char.IsAsciiLetter(rest[1]) && rest[2] == ':' ? rest[1..] : rest;
        }

        if (text[0] is 'h' or 'H' && HttpPrefix().Match(text) is { Success: true } http)
        {
            return StripQuery(text[http.Length..]);
        }

        return text;
    }

    private static string StripQuery(string text)
    {
        var end = text.IndexOfAny(['?', '#']);
        return end >= 0 ? text[..end] : text;
    }

    private static string StripDrive(string text, out bool hadDrive)
    {
        hadDrive = HasDrive(text);
        return hadDrive ? text[2..] : text;
    }

    private static bool HasDrive(string text) =>
        text.Length >= 2 && char.IsAsciiLetter(text[0]) && text[1] == ':' && (text.Length == 2 || text[2] == '/');

    /// <summary>The length of <paramref name="root"/> (with <c>*</c> matching one segment) at the start of the path.</summary>
    private static int? MatchRoot(string path, string root)
    {
        var position = 0;
        var index = 0;
        while (index < root.Length)
        {
            if (root[index] == '*')
            {
                var end = path.IndexOf('/', position);
                if (end <= position)
                {
                    return null;
                }

                position = end;
                index++;
                continue;
            }

            if (position >= path.Length || path[position] != root[index])
            {
                return null;
            }

            position++;
            index++;
        }

        return position < path.Length ? position : null;
    }

    private static string? GoModuleRelative(string relative)
    {
        if (!relative.EndsWith(".go", StringComparison.Ordinal))
        {
            return null;
        }

        var match = GoModulePrefix().Match(relative);
        return match.Success && match.Length < relative.Length ? relative[match.Length..] : null;
    }

    private static int FirstSourceFolder(string absolute)
    {
        var start = 1;
        while (start < absolute.Length)
        {
            var end = absolute.IndexOf('/', start);
            if (end < 0)
            {
                return -1; // the file name itself is not a folder
            }

            var segment = absolute.AsSpan(start, end - start);
            foreach (var folder in SourceFolders)
            {
                if (segment.Equals(folder, StringComparison.Ordinal))
                {
                    return start;
                }
            }

            start = end + 1;
        }

        return -1;
    }

    /// <summary>Trim, drop control characters, <c>\</c> → <c>/</c>.</summary>
    private static string Clean(string path)
    {
        var span = path.AsSpan();
        if (!span.ContainsAny(ControlOrBackslash) && span.Length == span.Trim().Length)
        {
            return path; // nothing to change
        }

        var builder = new StringBuilder(path.Length);
        foreach (var character in path.AsSpan().Trim())
        {
            if (char.IsControl(character))
            {
                continue;
            }

            builder.Append(character == '\\' ? '/' : character);
        }

        return builder.ToString();
    }

    /// <summary>Collapse <c>//</c>, drop <c>.</c> segments and leading <c>..</c> segments, resolve inner <c>..</c>.</summary>
    private static string CleanRelative(string relative)
    {
        if (IsClean(relative))
        {
            return relative;
        }

        var segments = new List<string>();
        foreach (var segment in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(segment);
        }

        return string.Join('/', segments);
    }

    /// <summary>Whether <see cref="CleanRelative"/> would return the path unchanged: no empty, <c>.</c> or <c>..</c> segment.</summary>
    private static bool IsClean(ReadOnlySpan<char> relative)
    {
        if (relative.IsEmpty)
        {
            return true;
        }

        foreach (var range in relative.Split('/'))
        {
            var segment = relative[range];
            if (segment.IsEmpty || segment is "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>webpack-internal:///(rsc)/./</c>, <c>webpack-internal:///./</c>, <c>webpack:///./</c>,
    /// <c>webpack://name/./</c>, <c>webpack-internal:///(ssr)/../../</c> …</summary>
    [GeneratedRegex(@"^webpack(?:-internal)?://[^/]*/(?:\([^)/]{0,64}\)/)?(?:\./)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WebpackPrefix();

    [GeneratedRegex(@"^https?://[^/]{1,256}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HttpPrefix();

    /// <summary>GOPATH: <c>/home/x/go/src/github.com/owner/repo/</c>.</summary>
    [GeneratedRegex(@"/src/[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/[^/]+/[^/]+/", RegexOptions.CultureInvariant)]
    private static partial Regex GoPathRoot();

    /// <summary>Go module path as printed with <c>-trimpath</c>: <c>github.com/owner/repo/</c>.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/[^/]+/[^/]+/", RegexOptions.CultureInvariant)]
    private static partial Regex GoModulePrefix();
}
