using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Faultline.Testing.Incidents;

/// <summary>
/// Stand-in for the identity work until it lands: <c>Authorization: Bearer test-{users.id}</c>
/// signs in as that user, and the "user" policy (Policies.User) requires a signed-in user.
/// Follow-up: replace with TestAccounts and real access tokens once sessions are on main.
/// </summary>
internal static class TestAuthentication
{
    public const string Scheme = "Test";
    public const string TokenPrefix = "test-";

    public static string TokenFor(Guid userId) => TokenPrefix + userId.ToString("N");

    public static IWebHostBuilder UseTestAuthentication(this IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services =>
        {
            services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, Handler>(Scheme, _ => { });
            services.AddAuthorization(options => options.AddPolicy("user", policy => policy.RequireAuthenticatedUser()));
        });

    private sealed class Handler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer " + TokenPrefix, StringComparison.Ordinal)
                || !Guid.TryParse(header.AsSpan(("Bearer " + TokenPrefix).Length), out var userId))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim("sub", userId.ToString()), new Claim("login", "tester")], TestAuthentication.Scheme);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), TestAuthentication.Scheme)));
        }
    }
}
