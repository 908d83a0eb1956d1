using System.Net;

namespace Faultline.Server.Auth;

/// <summary>Refuses to start: local mode (no GitHub app) on an address other machines can reach.</summary>
internal sealed class LocalModeException(string message) : Exception(message);

/// <summary>
/// Local mode: no GitHub OAuth app configured, the server listening on loopback addresses only, and
/// one account for whoever uses this machine. That account has <c>github_id</c> 0, which no real
/// GitHub account has (GitHub's ids start at 1), so it can never be confused with one.
/// </summary>
internal static class LocalMode
{
    public const long LocalGitHubId = 0;

    /// <summary>The local account: GitHub id 0, login the OS user name.</summary>
    public static GitHubUser Account => new(LocalGitHubId, Environment.UserName is { Length: > 0 } name ? name : "local", null, null);

    /// <summary>Throws <see cref="LocalModeException"/> when a configured listening address is not loopback.</summary>
    public static void EnsureLoopbackOnly(IConfiguration configuration)
    {
        if (ConfiguredUrls(configuration).FirstOrDefault(url => !IsLoopbackUrl(url)) is { } exposed)
        {
            throw new LocalModeException(
                $"Refusing to listen on {exposed} in local mode (no GitHub app configured): anyone who can reach it would be signed in as the local user. " +
                $"Listen on 127.0.0.1 or localhost, or set {GitHubOptions.Section}:ClientId and :ClientSecret.");
        }
    }

    /// <summary>The addresses the server will listen on, as configured (--urls, ASPNETCORE_URLS, *_PORTS, Kestrel:Endpoints).</summary>
    public static IEnumerable<string> ConfiguredUrls(IConfiguration configuration)
    {
        var separators = new[] { ';', ',' };
        foreach (var url in (configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return url;
        }

        foreach (var (key, scheme) in new[] { ("http_ports", "http"), ("https_ports", "https") })
        {
            foreach (var port in (configuration[key] ?? string.Empty).Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return $"{scheme}://*:{port}";
            }
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                yield return url;
            }
        }
    }

    /// <summary>True for localhost, 127.0.0.0/8 and [::1]; false for wildcards (*, +, 0.0.0.0, [::]) and other hosts.</summary>
    public static bool IsLoopbackUrl(string url)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        if (rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("pipe:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var host = rest.Split('/')[0];
        if (host.StartsWith('['))
        {
            host = host[1..host.IndexOf(']', StringComparison.Ordinal)];
        }
        else if (host.LastIndexOf(':') is var colon and > 0)
        {
            host = host[..colon];
        }

        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>Null for a request from this machine; otherwise the 403 (recorded as a failed sign-in).</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? RefuseRemote(HttpContext context, AuthFailures failures)
    {
        if (IsLoopbackClient(context))
        {
            return null;
        }

        failures.Record(context, "local", "not a loopback client");
        return TypedResults.Problem("The local account signs in only from this machine.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
    }

    /// <summary>A request from this machine: a loopback peer, or none (a Unix socket, or in process).</summary>
    public static bool IsLoopbackClient(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => true,
        { IsIPv4MappedToIPv6: true } mapped => IPAddress.IsLoopback(mapped.MapToIPv4()),
        var address => IPAddress.IsLoopback(address),
    };
}
