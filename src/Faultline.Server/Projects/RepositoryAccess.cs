using Faultline.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Faultline.Server.Projects;

/// <summary>
/// With GitHub configured, a project may be created only by someone GitHub lets push to (or
/// administer) the repository, asked with the caller's own GitHub token from their session.
/// In local mode there is no GitHub to ask.
/// </summary>
internal sealed class RepositoryAccess(IOptions<GitHubOptions> gitHub, SessionStore sessions, GitHubClient client)
{
    /// <summary>Null when allowed; otherwise the 403 (or 503 when GitHub cannot be asked).</summary>
    public async Task<ProblemHttpResult?> CheckPushAsync(HttpContext context, CurrentUser user, string owner, string name, CancellationToken cancellationToken)
    {
        if (!gitHub.Value.IsConfigured)
        {
            return null;
        }

        var token = AuthPrincipal.SessionId(context.User) is { } sessionId
            ? await sessions.GetGitHubTokenAsync(sessionId, user.Id, cancellationToken)
            : null;
        try
        {
            if (token is not null && await client.CanPushAsync(token, owner, name, cancellationToken))
            {
                return null;
            }
        }
        catch (HttpRequestException)
        {
            return AuthEndpoints.GitHubUnavailable();
        }

        return TypedResults.Problem(
            token is null
                ? "This session holds no GitHub token to check your access with; sign in with GitHub again."
                : $"GitHub does not show push or admin access to {owner}/{name} for {user.Login}.",
            statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
    }
}
