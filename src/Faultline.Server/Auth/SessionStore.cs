using System.Security.Cryptography;
using Dapper;
using Faultline.Contracts;
using Faultline.Core.Identifiers;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace Faultline.Server.Auth;

/// <summary>What a valid access token or session cookie stands for.</summary>
internal sealed record SessionPrincipal(Guid SessionId, Guid UserId, string Login);

/// <summary>The outcome of presenting a token: the session, or why it was refused (for the log and metric).</summary>
internal sealed record SessionLookup(SessionPrincipal? Session, string? Failure)
{
    public static SessionLookup Refused(string failure) => new(null, failure);
}

/// <summary>The outcome of a refresh: a new pair, or why not.</summary>
internal sealed record RefreshOutcome(TokenResponse? Tokens, string? Failure);

internal static class SessionKind
{
    public const string Device = "device";
    public const string Local = "local";
    public const string Browser = "browser";
}

/// <summary>
/// Sessions and their tokens. Only SHA-256 hashes of Faultline's tokens are stored; a look-up by
/// the indexed hash is confirmed with a constant-time comparison. GitHub's token is kept encrypted
/// with Data Protection (key ring in PostgreSQL) and read only to call GitHub.
/// </summary>
internal sealed class SessionStore(NpgsqlDataSource db, TimeProvider time, IDataProtectionProvider dataProtection)
{
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(30);

    private const string InsertSessionSql = """
        INSERT INTO sessions (user_id, kind, access_token_hash, access_expires_at, refresh_expires_at, github_token_protected, created_at, last_used_at)
        VALUES (@UserId, @Kind, @AccessHash, @AccessExpiresAt, @RefreshExpiresAt, @GitHubToken, @Now, @Now)
        RETURNING id
        """;

    private const string InsertRefreshTokenSql = """
        INSERT INTO session_refresh_tokens (token_hash, session_id, created_at) VALUES (@RefreshHash, @SessionId, @Now)
        """;

    private const string SelectByAccessTokenSql = """
        SELECT s.id AS SessionId, s.user_id AS UserId, u.github_login AS Login, s.access_token_hash AS TokenHash,
               s.access_expires_at AS ExpiresAt, s.revoked_at AS RevokedAt, NULL::timestamptz AS RotatedAt
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.access_token_hash = @Hash
        """;

    private const string SelectActiveSessionSql = """
        SELECT s.id AS SessionId, s.user_id AS UserId, u.github_login AS Login
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = @SessionId AND s.user_id = @UserId AND s.revoked_at IS NULL AND s.refresh_expires_at > @Now
        """;

    private const string SelectByRefreshTokenForUpdateSql = """
        SELECT s.id AS SessionId, s.user_id AS UserId, u.github_login AS Login, rt.token_hash AS TokenHash,
               s.refresh_expires_at AS ExpiresAt, s.revoked_at AS RevokedAt, rt.rotated_at AS RotatedAt
        FROM session_refresh_tokens rt
        JOIN sessions s ON s.id = rt.session_id
        JOIN users u ON u.id = s.user_id
        WHERE rt.token_hash = @Hash
        FOR UPDATE OF s
        """;

    private const string RotateSql = """
        UPDATE session_refresh_tokens SET rotated_at = @Now WHERE token_hash = @OldHash;
        INSERT INTO session_refresh_tokens (token_hash, session_id, created_at) VALUES (@RefreshHash, @SessionId, @Now);
        UPDATE sessions SET access_token_hash = @AccessHash, access_expires_at = @AccessExpiresAt,
               refresh_expires_at = @RefreshExpiresAt, last_used_at = @Now
        WHERE id = @SessionId;
        """;

    private const string RevokeSql = """
        UPDATE sessions SET revoked_at = @Now WHERE id = @SessionId AND user_id = @UserId AND revoked_at IS NULL
        """;

    private const string SelectGitHubTokenSql = """
        SELECT github_token_protected FROM sessions
        WHERE id = @SessionId AND user_id = @UserId AND revoked_at IS NULL
        """;

    private IDataProtector GitHubTokenProtector => dataProtection.CreateProtector("Faultline.Sessions.GitHubToken");

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>A session with a token pair (device flow, local sign-in, tests).</summary>
    public async Task<TokenResponse> CreateAsync(Guid userId, string kind, string? gitHubToken, CancellationToken cancellationToken)
    {
        var (tokens, parameters) = NewPair();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var sessionId = await connection.ExecuteScalarAsync<Guid>(new CommandDefinition(InsertSessionSql, new
        {
            UserId = userId,
            Kind = kind,
            parameters.AccessHash,
            parameters.AccessExpiresAt,
            parameters.RefreshExpiresAt,
            GitHubToken = Protect(gitHubToken),
            parameters.Now,
        }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(InsertRefreshTokenSql, new { parameters.RefreshHash, SessionId = sessionId, parameters.Now }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return tokens;
    }

    /// <summary>A dashboard session: no tokens, the cookie carries its id; it ends at logout or after 30 days.</summary>
    public async Task<Guid> CreateBrowserSessionAsync(Guid userId, string kind, string? gitHubToken, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<Guid>(new CommandDefinition(InsertSessionSql, new
        {
            UserId = userId,
            Kind = kind,
            AccessHash = (byte[]?)null,
            AccessExpiresAt = (DateTime?)null,
            RefreshExpiresAt = Now + RefreshTokenLifetime,
            GitHubToken = Protect(gitHubToken),
            Now,
        }, cancellationToken: cancellationToken));
    }

    public async Task<SessionLookup> FindByAccessTokenAsync(string? token, CancellationToken cancellationToken)
    {
        if (!SecretToken.IsWellFormed(token, SecretToken.AccessTokenPrefix))
        {
            return SessionLookup.Refused(LooksLikeOtherSecret(token, SecretToken.AccessTokenPrefix) ? "wrong_type" : "malformed");
        }

        var hash = SecretToken.Hash(token!);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(SelectByAccessTokenSql, new { Hash = hash }, cancellationToken: cancellationToken));
        return Check(row, hash) ?? new SessionLookup(row!.Principal, null);
    }

    /// <summary>True while the dashboard session is neither revoked nor expired (checked on every request).</summary>
    public async Task<bool> IsActiveAsync(Guid sessionId, Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SessionPrincipal>(new CommandDefinition(
            SelectActiveSessionSql, new { SessionId = sessionId, UserId = userId, Now }, cancellationToken: cancellationToken)) is not null;
    }

    /// <summary>
    /// Exchanges a refresh token for a new pair. A refresh token that was already exchanged means
    /// two parties hold it: the whole session is revoked (token theft detection).
    /// </summary>
    public async Task<RefreshOutcome> RefreshAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        if (!SecretToken.IsWellFormed(refreshToken, SecretToken.RefreshTokenPrefix))
        {
            return new RefreshOutcome(null, LooksLikeOtherSecret(refreshToken, SecretToken.RefreshTokenPrefix) ? "wrong_type" : "malformed");
        }

        var hash = SecretToken.Hash(refreshToken!);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(SelectByRefreshTokenForUpdateSql, new { Hash = hash }, transaction, cancellationToken: cancellationToken));
        if (row is { RotatedAt: not null, RevokedAt: null } && CryptographicOperations.FixedTimeEquals(row.TokenHash, hash))
        {
            await connection.ExecuteAsync(new CommandDefinition(RevokeSql, new { row.SessionId, row.UserId, Now }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return new RefreshOutcome(null, "reused");
        }

        if (Check(row, hash) is { } refused)
        {
            return new RefreshOutcome(null, refused.Failure);
        }

        var (tokens, parameters) = NewPair();
        await connection.ExecuteAsync(new CommandDefinition(RotateSql, new
        {
            OldHash = hash,
            parameters.RefreshHash,
            parameters.AccessHash,
            parameters.AccessExpiresAt,
            parameters.RefreshExpiresAt,
            parameters.Now,
            row!.SessionId,
        }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new RefreshOutcome(tokens, null);
    }

    public async Task RevokeAsync(Guid sessionId, Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(RevokeSql, new { SessionId = sessionId, UserId = userId, Now }, cancellationToken: cancellationToken));
    }

    /// <summary>The session's GitHub token, decrypted, for a GitHub API call; null when it has none.</summary>
    public async Task<string?> GetGitHubTokenAsync(Guid sessionId, Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var protectedToken = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            SelectGitHubTokenSql, new { SessionId = sessionId, UserId = userId }, cancellationToken: cancellationToken));
        return protectedToken is null ? null : GitHubTokenProtector.Unprotect(protectedToken);
    }

    private string? Protect(string? gitHubToken) => gitHubToken is null ? null : GitHubTokenProtector.Protect(gitHubToken);

    private SessionLookup? Check(TokenRow? row, byte[] hash)
    {
        if (row is null || !CryptographicOperations.FixedTimeEquals(row.TokenHash, hash))
        {
            return SessionLookup.Refused("unknown");
        }

        if (row.RevokedAt is not null)
        {
            return SessionLookup.Refused("revoked");
        }

        return row.ExpiresAt is { } expires && expires > Now ? null : SessionLookup.Refused("expired");
    }

    /// <summary>Another kind of Faultline secret (e.g. an ingest key sent as a session token).</summary>
    private static bool LooksLikeOtherSecret(string? token, string expectedPrefix) =>
        token is not null && !token.StartsWith(expectedPrefix, StringComparison.Ordinal)
        && (token.StartsWith(SecretToken.IngestKeyPrefix, StringComparison.Ordinal)
            || token.StartsWith(SecretToken.AccessTokenPrefix, StringComparison.Ordinal)
            || token.StartsWith(SecretToken.RefreshTokenPrefix, StringComparison.Ordinal));

    private (TokenResponse Tokens, PairParameters Parameters) NewPair()
    {
        var access = SecretToken.Generate(SecretToken.AccessTokenPrefix);
        var refresh = SecretToken.Generate(SecretToken.RefreshTokenPrefix);
        var now = Now;
        return (
            new TokenResponse(access, refresh, "Bearer", (int)AccessTokenLifetime.TotalSeconds),
            new PairParameters(SecretToken.Hash(access), SecretToken.Hash(refresh), now + AccessTokenLifetime, now + RefreshTokenLifetime, now));
    }

    private sealed record PairParameters(byte[] AccessHash, byte[] RefreshHash, DateTime AccessExpiresAt, DateTime RefreshExpiresAt, DateTime Now);

    private sealed record TokenRow(Guid SessionId, Guid UserId, string Login, byte[] TokenHash, DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? RotatedAt)
    {
        public SessionPrincipal Principal => new(SessionId, UserId, Login);
    }
}
