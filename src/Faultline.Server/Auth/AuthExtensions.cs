using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Npgsql;

namespace Faultline.Server.Auth;

internal static class AuthExtensions
{
    public const string SessionCookieName = "faultline_session";
    public const string AntiforgeryCookieName = "faultline_antiforgery";
    public const string AntiforgeryHeaderName = "X-CSRF-TOKEN";

    /// <summary>
    /// Sign-in for people: Faultline access tokens (Bearer) and the dashboard cookie, GitHub OAuth
    /// when configured, otherwise local mode (which refuses non-loopback addresses here, at start).
    /// </summary>
    public static WebApplicationBuilder AddFaultlineAuth(this WebApplicationBuilder builder)
    {
        var gitHub = GitHubOptions.From(builder.Configuration);
        if (!gitHub.IsConfigured)
        {
            LocalMode.EnsureLoopbackOnly(builder.Configuration);
        }

        var services = builder.Services;
        services.AddOptions<GitHubOptions>().BindConfiguration(GitHubOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient<GitHubClient>(GitHubClient.Configure);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, Contracts.AuthJsonContext.Default));
        services.AddSingleton<UserStore>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<AuthFailures>();
        services.AddScoped<DeviceFlow>();

        services.AddDataProtection().SetApplicationName("faultline");
        services.AddOptions<KeyManagementOptions>()
            .Configure<NpgsqlDataSource>((options, db) => options.XmlRepository = new PostgresXmlRepository(db));

        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AntiforgeryCookieName;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.HeaderName = AntiforgeryHeaderName;
        });

        var authentication = services.AddAuthentication(AuthSchemes.Default)
            .AddPolicyScheme(AuthSchemes.Default, "Bearer token or dashboard cookie", options =>
                options.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.Count > 0 ? AuthSchemes.AccessToken : AuthSchemes.Cookie)
            .AddScheme<AuthenticationSchemeOptions, AccessTokenHandler>(AuthSchemes.AccessToken, null)
            .AddCookie(AuthSchemes.Cookie, ConfigureCookie);
        if (gitHub.IsConfigured)
        {
            authentication.AddOAuth(AuthSchemes.GitHub, options => GitHubSignIn.Configure(options, gitHub));
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.User, policy => policy.RequireAuthenticatedUser().RequireClaim(CurrentUser.IdClaim));
        return builder;
    }

    /// <summary>
    /// Sign-ins (authentication, the antiforgery check, authorization) for every endpoint but those
    /// marked <see cref="WithoutSignIn{TBuilder}"/>: the ingest routes, which take a project's ingest
    /// key and check it themselves, run before that middleware and skip its work for every incident.
    /// (Not a branch with UseWhen: WebApplication would not see the middleware in it, and would add
    /// authentication and authorization again at the start of the pipeline, ahead of the error pages.)
    /// </summary>
    public static WebApplication UseFaultlineAuth(this WebApplication app)
    {
        app.Use(static (context, next) =>
            context.GetEndpoint() is { RequestDelegate: { } endpoint } found && IsWithoutSignIn(found) ? endpoint(context) : next(context));
        app.UseAuthentication();
        app.Use(RequireAntiforgeryForCookieWritesAsync);
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// An endpoint that no sign-in reaches: anonymous, without antiforgery, and passed over by the
    /// sign-in middleware (its own code authenticates the request, as ingest does by the ingest key).
    /// </summary>
    public static TBuilder WithoutSignIn<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AllowAnonymous().DisableAntiforgery().WithMetadata(WithoutSignInMetadata.Instance);

    /// <summary>Marked <see cref="WithoutSignIn{TBuilder}"/>, and anonymous (so no authorization is skipped that the endpoint asks for).</summary>
    internal static bool IsWithoutSignIn(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<WithoutSignInMetadata>() is not null
        && endpoint.Metadata.GetMetadata<IAuthorizeData>() is null
        && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;

    private sealed class WithoutSignInMetadata
    {
        public static readonly WithoutSignInMetadata Instance = new();
    }

    /// <summary>
    /// A request that changes something on the strength of the cookie alone must prove it comes
    /// from the dashboard's own page (SameSite=Lax already stops most cross-site posts; this stops
    /// the rest). Bearer-token requests cannot be forged by another site and need no token.
    /// </summary>
    private static async Task RequireAntiforgeryForCookieWritesAsync(HttpContext context, RequestDelegate next)
    {
        if (context.User.Identity is { IsAuthenticated: true, AuthenticationType: AuthSchemes.Cookie } && !IsSafe(context.Request.Method)
            && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
        {
            await AntiforgeryFailed().ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    public static IResult AntiforgeryFailed() => TypedResults.Problem(
        $"This request needs the antiforgery token (header {AntiforgeryHeaderName} or form field __RequestVerificationToken).",
        statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token");

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    private static void ConfigureCookie(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = SessionCookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = TimeSpan.FromHours(12);
        options.SlidingExpiration = true;
        options.Events.OnRedirectToLogin = context =>
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        };
        options.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
        options.Events.OnValidatePrincipal = ValidateSessionAsync;
    }

    /// <summary>The cookie is only as good as its session row: logout or theft detection ends it on every instance.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var user = context.Principal is { } principal ? CurrentUser.FromPrincipal(principal) : null;
        var sessionId = context.Principal is { } p ? AuthPrincipal.SessionId(p) : null;
        var services = context.HttpContext.RequestServices;
        if (user is null || sessionId is null
            || !await services.GetRequiredService<SessionStore>().IsActiveAsync(sessionId.Value, user.Id, context.HttpContext.RequestAborted))
        {
            services.GetRequiredService<AuthFailures>().Record(context.HttpContext, "session_cookie", "ended");
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AuthSchemes.Cookie);
        }
    }
}
