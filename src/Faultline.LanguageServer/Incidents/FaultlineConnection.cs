using Faultline.Client;

namespace Faultline.LanguageServer.Incidents;

/// <summary>Why the server could not be asked, in the words the user acts on.</summary>
internal enum ConnectionProblem
{
    None,
    NotSignedIn,
    NoServer,
    SignedOut,
    ServerDown,
    NoProject,
}

internal sealed record Outcome<T>(ConnectionProblem Problem, T? Value = default, string? Detail = null, Uri? Server = null);

/// <summary>
/// Calls the Faultline server as the signed-in user through the shared <see cref="FaultlineClient"/>:
/// the server is the editor's setting, else <c>--server</c>, else as the CLI picks it
/// (<c>FAULTLINE_SERVER</c>, the one saved at login); the token is <c>FAULTLINE_TOKEN</c> or the
/// session <c>faultline login</c> saved, refreshed and written back by the CLI's own code. Failures
/// become a <see cref="ConnectionProblem"/>.
/// </summary>
internal sealed class FaultlineConnection(Func<Settings> settings, LanguageServerOptions options) : IDisposable
{
    private readonly CredentialStore store = options.CreateCredentialStore();
    private readonly Lock gate = new();
    private IAccessTokenSource? tokens;
    private FaultlineClient? client;

    /// <summary>The server URL the language server talks to, or <see langword="null"/> when the setting is not a URL.</summary>
    public Uri? GetServer()
    {
        try
        {
            return ServerAddress.Resolve(settings().Server ?? options.Server, options.Environment, store);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public async Task<Outcome<T>> SendAsync<T>(Func<FaultlineClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        Uri server;
        try
        {
            server = ServerAddress.Resolve(settings().Server ?? options.Server, options.Environment, store);
        }
        catch (ArgumentException exception)
        {
            return new Outcome<T>(ConnectionProblem.NoServer, Detail: exception.Message);
        }

        try
        {
            return new Outcome<T>(ConnectionProblem.None, await call(ClientFor(server), cancellationToken), Server: server);
        }
        catch (NotSignedInException exception)
        {
            // A session for this server that no longer works has ended; no session (or one for another server) was never there.
            var signedOut = store.Load() is { } saved && ServerAddress.SameServer(saved.Server, server);
            return new Outcome<T>(signedOut ? ConnectionProblem.SignedOut : ConnectionProblem.NotSignedIn, Detail: exception.Message, Server: server);
        }
        catch (ServerUnreachableException exception)
        {
            return new Outcome<T>(ConnectionProblem.ServerDown, Detail: exception.Reason, Server: server);
        }
        catch (FaultlineApiException exception) when (exception.Status is 403 or 404)
        {
            return new Outcome<T>(ConnectionProblem.NoProject, Detail: exception.Message, Server: server);
        }
        catch (FaultlineApiException exception)
        {
            return new Outcome<T>(ConnectionProblem.ServerDown, Detail: $"HTTP {exception.Status}: {exception.Message}", Server: server);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            client?.Dispose();
            client = null;
        }
    }

    /// <summary>One client per server, replaced when the settings name another one.</summary>
    private FaultlineClient ClientFor(Uri server)
    {
        lock (gate)
        {
            // FAULTLINE_TOKEN is read once, as the CLI would; the saved session is re-read on every call.
            tokens ??= options.Environment(ServerAddress.TokenVariable) is { Length: > 0 } token
                ? new FixedAccessToken(token)
                : new StoredAccessToken(store, options.Time);
            if (client is null || client.Server != server)
            {
                // Requests still running on the old client finish; it is only left for the GC.
                client = new FaultlineClient(server, tokens, timeout: options.RequestTimeout);
            }

            return client;
        }
    }
}
