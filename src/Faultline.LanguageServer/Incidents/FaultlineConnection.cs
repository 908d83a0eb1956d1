using Microsoft.Extensions.Logging;

namespace Faultline.LanguageServer.Incidents;

/// <summary>Why the server could not be asked, in the words the user acts on.</summary>
internal enum Problem
{
    None,
    NotSignedIn,
    NoServer,
    SignedOut,
    ServerDown,
    NoProject,
}

internal sealed record Outcome<T>(Problem Problem, T? Value = default, bool NotModified = false, string? ETag = null, string? Detail = null, Uri? Server = null);

/// <summary>
/// Calls the Faultline server as the signed-in user: picks the server URL (settings, then
/// <c>FAULTLINE_SERVER</c>, then the one saved at login), sends the access token, refreshes it
/// when it has expired or is refused (once), and turns failures into a <see cref="Problem"/>.
/// </summary>
internal sealed class FaultlineConnection(
    FaultlineApi api, CredentialStore credentials, Func<Settings> settings, LanguageServerOptions options)
{
    private readonly SemaphoreSlim refreshLock = new(1, 1);
    private readonly ILogger logger = options.LoggerFactory.CreateLogger("Faultline.LanguageServer");

    /// <summary>The server URL the language server talks to, or <see langword="null"/> when none is known.</summary>
    public Uri? GetServer(Credentials? signedIn = null)
    {
        var url = settings().Server ?? options.EnvironmentServer ?? (signedIn ?? credentials.Load())?.Server;
        if (url is null || !Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var server))
        {
            return null;
        }

        return server;
    }

    public async Task<Outcome<T>> SendAsync<T>(
        Func<Uri, string, CancellationToken, Task<ApiResult<T>>> call, CancellationToken cancellationToken)
    {
        var signedIn = credentials.Load();
        if (signedIn is null)
        {
            return new Outcome<T>(Problem.NotSignedIn);
        }

        if (GetServer(signedIn) is not { } server)
        {
            return new Outcome<T>(Problem.NoServer);
        }

        var token = signedIn.AccessToken;
        var now = options.Time.GetUtcNow();
        if (!signedIn.FromEnvironment && signedIn.ExpiresAt is { } expiresAt && expiresAt <= now.AddSeconds(30) && signedIn.RefreshToken is not null)
        {
            token = await RefreshAsync(server, token, cancellationToken) ?? token;
        }

        var result = await call(server, token, cancellationToken);
        if (result.Status == ApiStatus.Unauthorized && !signedIn.FromEnvironment)
        {
            if (await RefreshAsync(server, token, cancellationToken) is { } refreshed)
            {
                result = await call(server, refreshed, cancellationToken);
            }
        }

        var problem = result.Status switch
        {
            ApiStatus.Unauthorized => Problem.SignedOut,
            ApiStatus.Unavailable => Problem.ServerDown,
            ApiStatus.NotFound => Problem.NoProject,
            _ => Problem.None,
        };
        return new Outcome<T>(problem, result.Value, result.Status == ApiStatus.NotModified, result.ETag, result.Detail, server);
    }

    /// <summary>A fresh access token, or <see langword="null"/> when the session cannot be refreshed.</summary>
    private async Task<string?> RefreshAsync(Uri server, string rejectedToken, CancellationToken cancellationToken)
    {
        await refreshLock.WaitAsync(cancellationToken);
        try
        {
            // Another caller (or `faultline login`) may have refreshed meanwhile.
            var current = credentials.Load();
            if (current is null || current.FromEnvironment)
            {
                return null;
            }

            if (current.AccessToken != rejectedToken)
            {
                return current.AccessToken;
            }

            if (current.RefreshToken is null)
            {
                return null;
            }

            var result = await api.RefreshAsync(server, current.RefreshToken, cancellationToken);
            if (result is not { Status: ApiStatus.Ok, Value: { } tokens })
            {
                return null;
            }

            credentials.Save(tokens, options.Time.GetUtcNow());
            Log.TokenRefreshed(logger);
            return tokens.AccessToken;
        }
        finally
        {
            refreshLock.Release();
        }
    }
}
