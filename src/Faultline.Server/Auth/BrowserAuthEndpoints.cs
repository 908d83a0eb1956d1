using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Faultline.Server.Auth;

/// <summary>
/// The dashboard's sign-in: GitHub OAuth (the callback, <c>/auth/github/callback</c>, is handled by
/// the OAuth handler itself), "Continue as local user", and logout. The two POSTs are forms and
/// need the antiforgery token.
/// </summary>
internal static class BrowserAuthEndpoints
{
    public static IEndpointRouteBuilder MapBrowserAuth(this IEndpointRouteBuilder app)
    {
        var browser = app.MapGroup("/auth").WithTags("Auth").ExcludeFromDescription();
        browser.MapGet("/github/login", SignInWithGitHub);
        browser.MapPost("/local", SignInLocallyAsync).DisableAntiforgery();
        browser.MapPost("/logout", SignOutAsync).DisableAntiforgery();
        return app;
    }

    /// <summary>Starts GitHub's authorization (state and PKCE by the OAuth handler); back to <c>return_url</c> if it is local.</summary>
    private static Results<ChallengeHttpResult, ProblemHttpResult> SignInWithGitHub([Microsoft.AspNetCore.Mvc.FromQuery(Name = "return_url")] string? returnUrl, IOptions<GitHubOptions> gitHub) =>
        gitHub.Value.IsConfigured
            ? TypedResults.Challenge(new AuthenticationProperties { RedirectUri = LocalUrlOrRoot(returnUrl) }, [AuthSchemes.GitHub])
            : AuthEndpoints.NotInThisMode("This server runs in local mode: use POST /auth/local.");

    private static async Task<IResult> SignInLocallyAsync(
        HttpContext context, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "return_url")] string? returnUrl, IAntiforgery antiforgery, IOptions<GitHubOptions> gitHub,
        UserStore users, SessionStore sessions, AuthFailures failures, CancellationToken cancellationToken)
    {
        if (gitHub.Value.IsConfigured)
        {
            return AuthEndpoints.NotInThisMode("This server signs in with GitHub; there is no local account.");
        }

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return AuthExtensions.AntiforgeryFailed();
        }

        if (LocalMode.RefuseRemote(context, failures) is { } refused)
        {
            return refused;
        }

        var account = LocalMode.Account;
        var userId = await users.UpsertAsync(account, cancellationToken);
        var sessionId = await sessions.CreateBrowserSessionAsync(userId, SessionKind.Local, null, cancellationToken);
        await context.SignInAsync(AuthSchemes.Cookie, AuthPrincipal.Create(new SessionPrincipal(sessionId, userId, account.Login), AuthSchemes.Cookie));
        return TypedResults.LocalRedirect(LocalUrlOrRoot(returnUrl));
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, SessionStore sessions, CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return AuthExtensions.AntiforgeryFailed();
        }

        var user = CurrentUser.FromPrincipal(context.User);
        if (user is not null && AuthPrincipal.SessionId(context.User) is { } sessionId)
        {
            await sessions.RevokeAsync(sessionId, user.Id, cancellationToken);
        }

        await context.SignOutAsync(AuthSchemes.Cookie);
        return TypedResults.LocalRedirect("/");
    }

    /// <summary>Only a path on this server ("/…", not "//host" or "/\host"): no open redirect.</summary>
    internal static string LocalUrlOrRoot(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl)
            ? url
            : "/";
}
