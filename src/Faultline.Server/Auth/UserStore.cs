using Dapper;
using Faultline.Contracts;
using Npgsql;

namespace Faultline.Server.Auth;

/// <summary>
/// Users, keyed by GitHub's numeric id and never by login: a login can be renamed and then taken by
/// someone else, so each sign-in updates login, e-mail and avatar of the row with that id.
/// </summary>
internal sealed class UserStore(NpgsqlDataSource db, TimeProvider time)
{
    private const string UpsertUserSql = """
        INSERT INTO users (github_id, github_login, github_email, avatar_url, created_at, updated_at)
        VALUES (@GithubId, @Login, @Email, @AvatarUrl, @Now, @Now)
        ON CONFLICT (github_id) DO UPDATE SET
          github_login = EXCLUDED.github_login,
          github_email = COALESCE(EXCLUDED.github_email, users.github_email),
          avatar_url = EXCLUDED.avatar_url,
          updated_at = EXCLUDED.updated_at
        RETURNING id
        """;

    private const string SelectUserSql = """
        SELECT github_id AS GithubId, github_login AS GithubLogin, github_email AS GithubEmail,
               avatar_url AS AvatarUrl, created_at AS CreatedAt
        FROM users WHERE id = @UserId
        """;

    /// <summary>Creates or updates the user with GitHub id <paramref name="user"/>.Id; returns <c>users.id</c>.</summary>
    public async Task<Guid> UpsertAsync(GitHubUser user, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<Guid>(new CommandDefinition(UpsertUserSql, new
        {
            GithubId = user.Id,
            user.Login,
            user.Email,
            user.AvatarUrl,
            Now = time.GetUtcNow().UtcDateTime,
        }, cancellationToken: cancellationToken));
    }

    public async Task<UserResponse?> GetAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserResponse>(
            new CommandDefinition(SelectUserSql, new { UserId = userId }, cancellationToken: cancellationToken));
    }
}
