using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Faultline.Server.Auth;

/// <summary>
/// <c>Authorization: Bearer fl_at_…</c>: a Faultline access token, checked against the stored hash of
/// an unrevoked, unexpired session. Anything else in a Bearer header is refused (401) and recorded.
/// </summary>
internal sealed class AccessTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    SessionStore sessions,
    AuthFailures failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        // Anonymous endpoints take no sign-in: what they get in this header (the ingest routes, which
        // the sign-in middleware passes over anyway, carry a project's ingest key) is neither looked
        // up as a session nor counted as a failed one.
        if (Context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return AuthenticateResult.NoResult();
        }

        var lookup = await sessions.FindByAccessTokenAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (lookup.Session is not { } session)
        {
            failures.Record(Context, "access_token", lookup.Failure ?? "unknown");
            return AuthenticateResult.Fail("The access token is not valid.");
        }

        var principal = AuthPrincipal.Create(session, AuthSchemes.AccessToken);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, AuthSchemes.AccessToken));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}

internal static class AuthSchemes
{
    /// <summary>The default: Bearer when an Authorization header is present, else the cookie.</summary>
    public const string Default = "faultline";
    public const string AccessToken = "access_token";
    public const string Cookie = "cookie";
    public const string GitHub = "github";
}

/// <summary>The claims every Faultline principal carries: <c>sub</c> (users.id), <c>login</c>, <c>sid</c> (sessions.id).</summary>
internal static class AuthPrincipal
{
    public const string SessionIdClaim = "sid";

    public static ClaimsPrincipal Create(SessionPrincipal session, string authenticationType) =>
        new(new ClaimsIdentity(
            [
                new Claim(CurrentUser.IdClaim, session.UserId.ToString()),
                new Claim(CurrentUser.LoginClaim, session.Login),
                new Claim(SessionIdClaim, session.SessionId.ToString()),
            ],
            authenticationType, CurrentUser.LoginClaim, null));

    public static Guid? SessionId(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(SessionIdClaim), out var id) ? id : null;
}
