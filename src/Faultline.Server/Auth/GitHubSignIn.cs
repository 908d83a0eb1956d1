using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;

namespace Faultline.Server.Auth;

/// <summary>
/// The dashboard's GitHub sign-in: the framework's OAuth handler (state in a protected correlation
/// cookie, PKCE S256) against GitHub's or GitHub Enterprise's endpoints. On success the user is
/// upserted by GitHub id, a browser session is stored with GitHub's token encrypted, and the cookie
/// carries only the user and session ids.
/// </summary>
internal static class GitHubSignIn
{
    public const string CallbackPath = "/auth/github/callback";

    public static void Configure(OAuthOptions options, GitHubOptions gitHub)
    {
        options.ClientId = gitHub.ClientId!;
        options.ClientSecret = gitHub.ClientSecret!;
        options.AuthorizationEndpoint = gitHub.Web("/login/oauth/authorize");
        options.TokenEndpoint = gitHub.Web("/login/oauth/access_token");
        options.UserInformationEndpoint = gitHub.Api("/user");
        options.CallbackPath = CallbackPath;
        options.SignInScheme = AuthSchemes.Cookie;
        options.UsePkce = true;
        options.SaveTokens = false;
        foreach (var scope in GitHubClient.Scopes)
        {
            options.Scope.Add(scope);
        }

        options.Events.OnCreatingTicket = CreatingTicketAsync;
        options.Events.OnRemoteFailure = RemoteFailureAsync;
    }

    private static async Task CreatingTicketAsync(OAuthCreatingTicketContext context)
    {
        var services = context.HttpContext.RequestServices;
        var cancellationToken = context.HttpContext.RequestAborted;
        var gitHubToken = context.AccessToken ?? throw new AuthenticationFailureException("GitHub returned no access token.");
        var user = await services.GetRequiredService<GitHubClient>().GetUserAsync(gitHubToken, cancellationToken);
        var userId = await services.GetRequiredService<UserStore>().UpsertAsync(user, cancellationToken);
        var sessionId = await services.GetRequiredService<SessionStore>()
            .CreateBrowserSessionAsync(userId, SessionKind.Browser, gitHubToken, cancellationToken);
        Log.SignedIn(services.GetRequiredService<ILogger<GitHubClient>>(), user.Login, user.Id, "browser");
        context.Principal = AuthPrincipal.Create(new SessionPrincipal(sessionId, userId, user.Login), AuthSchemes.Cookie);
    }

    /// <summary>A refused or tampered callback (bad state, denied, failed code exchange): 400 problem, logged and counted.</summary>
    private static Task RemoteFailureAsync(RemoteFailureContext context)
    {
        context.HttpContext.RequestServices.GetRequiredService<AuthFailures>()
            .Record(context.HttpContext, "oauth", context.Failure?.Message ?? "unknown");
        context.HandleResponse();
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return Task.CompletedTask;
    }
}
