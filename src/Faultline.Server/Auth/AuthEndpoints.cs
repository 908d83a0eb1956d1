using Faultline.Contracts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Faultline.Server.Auth;

/// <summary>The token API for the CLI, editors and scripts: config, device flow, refresh, revoke, local sign-in, me.</summary>
internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapFaultlineAuth(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").WithTags("Auth");
        auth.MapGet("/config", GetConfig);
        auth.MapGet("/antiforgery", GetAntiforgeryToken);
        auth.MapPost("/device/start", StartDeviceAsync);
        auth.MapPost("/device/poll", PollDeviceAsync);
        auth.MapPost("/refresh", RefreshAsync);
        auth.MapPost("/local", SignInLocallyAsync);
        auth.MapPost("/revoke", RevokeAsync).RequireAuthorization(Policies.User);
        app.MapGet("/api/v1/me", GetMeAsync).WithTags("Auth").RequireAuthorization(Policies.User);
        app.MapBrowserAuth();
        return app;
    }

    private static Ok<AuthConfig> GetConfig(IOptions<GitHubOptions> gitHub) =>
        TypedResults.Ok(gitHub.Value.IsConfigured ? new AuthConfig("github", gitHub.Value.WebUrl) : new AuthConfig("local", null));

    /// <summary>For the dashboard's scripts: sets the antiforgery cookie and returns the matching request token.</summary>
    private static Ok<AntiforgeryTokenResponse> GetAntiforgeryToken(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new AntiforgeryTokenResponse(tokens.RequestToken!, tokens.HeaderName!, tokens.FormFieldName));
    }

    private static async Task<Results<Ok<DeviceStartResponse>, ProblemHttpResult>> StartDeviceAsync(
        IOptions<GitHubOptions> gitHub, DeviceFlow deviceFlow, CancellationToken cancellationToken)
    {
        if (!gitHub.Value.IsConfigured)
        {
            return NotInThisMode("The device flow needs a GitHub app; in local mode use POST /api/v1/auth/local.");
        }

        try
        {
            return TypedResults.Ok(await deviceFlow.StartAsync(cancellationToken));
        }
        catch (HttpRequestException)
        {
            return GitHubUnavailable();
        }
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> PollDeviceAsync(
        DevicePollRequest request, HttpContext context, IOptions<GitHubOptions> gitHub, DeviceFlow deviceFlow, AuthFailures failures, CancellationToken cancellationToken)
    {
        if (!gitHub.Value.IsConfigured)
        {
            return NotInThisMode("The device flow needs a GitHub app; in local mode use POST /api/v1/auth/local.");
        }

        if (string.IsNullOrWhiteSpace(request.DeviceCode))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["device_code"] = ["Required."] });
        }

        DevicePollOutcome outcome;
        try
        {
            outcome = await deviceFlow.PollAsync(request.DeviceCode, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return GitHubUnavailable();
        }

        if (outcome.Tokens is { } tokens)
        {
            return TypedResults.Ok(tokens);
        }

        if (outcome.Error is "access_denied" or "expired_token")
        {
            failures.Record(context, "device", outcome.Error);
        }

        var extensions = new Dictionary<string, object?> { ["error"] = outcome.Error };
        if (outcome.Interval > 0)
        {
            extensions["interval"] = outcome.Interval;
        }

        return TypedResults.Problem(DeviceErrorDetail(outcome.Error!), statusCode: StatusCodes.Status400BadRequest, title: outcome.Error, extensions: extensions);
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request, HttpContext context, SessionStore sessions, AuthFailures failures, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["refresh_token"] = ["Required."] });
        }

        var outcome = await sessions.RefreshAsync(request.RefreshToken, cancellationToken);
        if (outcome.Tokens is { } tokens)
        {
            return TypedResults.Ok(tokens);
        }

        failures.Record(context, outcome.Failure == "reused" ? "refresh_reuse" : "refresh_token", outcome.Failure ?? "unknown");
        return TypedResults.Problem(
            "The refresh token is not valid (unknown, expired, revoked or already used); sign in again.",
            statusCode: StatusCodes.Status400BadRequest, title: "invalid_grant", extensions: new Dictionary<string, object?> { ["error"] = "invalid_grant" });
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> SignInLocallyAsync(
        HttpContext context, IOptions<GitHubOptions> gitHub, UserStore users, SessionStore sessions, AuthFailures failures, CancellationToken cancellationToken)
    {
        if (gitHub.Value.IsConfigured)
        {
            return NotInThisMode("This server signs in with GitHub; there is no local account.");
        }

        if (LocalMode.RefuseRemote(context, failures) is { } refused)
        {
            return refused;
        }

        var userId = await users.UpsertAsync(LocalMode.Account, cancellationToken);
        return TypedResults.Ok(await sessions.CreateAsync(userId, SessionKind.Local, null, cancellationToken));
    }

    private static async Task<NoContent> RevokeAsync(HttpContext context, CurrentUser user, SessionStore sessions, CancellationToken cancellationToken)
    {
        if (AuthPrincipal.SessionId(context.User) is { } sessionId)
        {
            await sessions.RevokeAsync(sessionId, user.Id, cancellationToken);
        }

        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<UserResponse>, NotFound>> GetMeAsync(CurrentUser user, UserStore users, CancellationToken cancellationToken) =>
        await users.GetAsync(user.Id, cancellationToken) is { } me ? TypedResults.Ok(me) : TypedResults.NotFound();

    internal static ProblemHttpResult NotInThisMode(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not available in this mode");

    internal static ProblemHttpResult GitHubUnavailable() => TypedResults.Problem(
        "GitHub did not answer as expected; try again shortly.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "GitHub unavailable");

    private static string DeviceErrorDetail(string error) => error switch
    {
        "authorization_pending" => "The user has not yet entered the code on GitHub; poll again after the interval.",
        "slow_down" => "Polling too fast: wait the returned interval (5 seconds more than before) between polls.",
        "expired_token" => "The device code expired or is unknown; start again.",
        "access_denied" => "The user declined the sign-in on GitHub.",
        _ => error,
    };
}
