using Faultline.Contracts;

namespace Faultline.Client;

/// <summary>Where a <see cref="FaultlineClient"/> gets the bearer token for signed-in calls.</summary>
internal interface IAccessTokenSource
{
    /// <summary>A token believed valid; throws <see cref="NotSignedInException"/> when there is none.</summary>
    ValueTask<string> GetAsync(FaultlineClient client, CancellationToken cancellationToken);

    /// <summary>After the server rejected <paramref name="rejected"/> with 401: a fresh token, or null when none can be had.</summary>
    ValueTask<string?> RefreshAsync(FaultlineClient client, string rejected, CancellationToken cancellationToken);
}

/// <summary><c>FAULTLINE_TOKEN</c>: used as given, never refreshed or saved.</summary>
internal sealed class FixedAccessToken(string token) : IAccessTokenSource
{
    public ValueTask<string> GetAsync(FaultlineClient client, CancellationToken cancellationToken) => ValueTask.FromResult(token);

    public ValueTask<string?> RefreshAsync(FaultlineClient client, string rejected, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(null);
}

/// <summary>
/// The session saved by <c>faultline login</c>: refreshed silently shortly before it expires and
/// once after a 401, the new pair saved at once (the server rotates refresh tokens, so losing the
/// new one would end the session). Used only for the server it was issued by, so a token is never
/// sent to another host.
/// </summary>
internal sealed class StoredAccessToken(CredentialStore store, TimeProvider time) : IAccessTokenSource
{
    /// <summary>Refresh this long before the recorded expiry, so a request never races it.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(60);

    // One refresh at a time: the server rotates refresh tokens, so a second caller spending the same
    // one (the language server refreshes several repositories at once) would end the session.
    private readonly SemaphoreSlim refreshing = new(1, 1);

    public async ValueTask<string> GetAsync(FaultlineClient client, CancellationToken cancellationToken)
    {
        var saved = Load(client);
        if (saved.ExpiresAt - Margin > time.GetUtcNow())
        {
            return saved.AccessToken;
        }

        return await RefreshAsync(client, saved.AccessToken, cancellationToken)
            ?? throw new NotSignedInException(client.Server, "the session has expired");
    }

    public async ValueTask<string?> RefreshAsync(FaultlineClient client, string rejected, CancellationToken cancellationToken)
    {
        await refreshing.WaitAsync(cancellationToken);
        try
        {
            var saved = Load(client);
            // Another caller or process may already have refreshed: then use its token before spending the refresh token.
            return saved.AccessToken != rejected ? saved.AccessToken : await RefreshAsync(client, saved, cancellationToken);
        }
        finally
        {
            refreshing.Release();
        }
    }

    private async Task<string?> RefreshAsync(FaultlineClient client, StoredCredentials saved, CancellationToken cancellationToken)
    {
        if (saved.RefreshToken is null)
        {
            return null;
        }

        TokenResponse tokens;
        try
        {
            tokens = await client.RefreshAsync(saved.RefreshToken, cancellationToken);
        }
        catch (FaultlineApiException exception) when (exception.Status is 400 or 401)
        {
            return null;
        }

        store.Save(Credentials(client.Server, tokens, time));
        return tokens.AccessToken;
    }

    private StoredCredentials Load(FaultlineClient client) =>
        store.Load() is { } saved && ServerAddress.SameServer(saved.Server, client.Server)
            ? saved
            : throw new NotSignedInException(client.Server);

    /// <summary>What to save for a new token pair from <paramref name="server"/>.</summary>
    public static StoredCredentials Credentials(Uri server, TokenResponse tokens, TimeProvider time) =>
        new(ServerAddress.Format(server), tokens.AccessToken, tokens.RefreshToken, time.GetUtcNow().AddSeconds(tokens.ExpiresIn));
}
