namespace Faultline.Client;

/// <summary>Which server to talk to: <c>--server</c>, else <c>FAULTLINE_SERVER</c>, else the one saved at login, else the default.</summary>
internal static class ServerAddress
{
    public const string Default = "http://localhost:5080";
    public const string ServerVariable = "FAULTLINE_SERVER";
    public const string TokenVariable = "FAULTLINE_TOKEN";

    public static Uri Resolve(string? option, Func<string, string?> environment, CredentialStore store)
    {
        var chosen = !string.IsNullOrWhiteSpace(option) ? option
            : environment(ServerVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : store.Load()?.Server ?? Default;
        return Parse(chosen);
    }

    /// <summary>An absolute http(s) URL, or <see cref="ArgumentException"/> with a message for the user.</summary>
    public static Uri Parse(string value)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new ArgumentException($"'{value}' is not a server URL such as {Default} or https://faultline.example.com.");
        }

        return new Uri(Format(uri));
    }

    /// <summary>The canonical text of a server URL: scheme, host, port and path without a trailing slash.</summary>
    public static string Format(Uri server) => server.GetLeftPart(UriPartial.Path).TrimEnd('/');

    public static bool SameServer(string saved, Uri server) =>
        Uri.TryCreate(saved, UriKind.Absolute, out var savedUri) && string.Equals(Format(savedUri), Format(server), StringComparison.OrdinalIgnoreCase);

    /// <summary>The client for the resolved server: <c>FAULTLINE_TOKEN</c> if set, else the saved session.</summary>
    public static FaultlineClient CreateClient(string? option, Func<string, string?> environment, CredentialStore store, TimeProvider time)
    {
        var server = Resolve(option, environment, store);
        IAccessTokenSource tokens = environment(TokenVariable) is { Length: > 0 } token
            ? new FixedAccessToken(token)
            : new StoredAccessToken(store, time);
        return new FaultlineClient(server, tokens);
    }
}
