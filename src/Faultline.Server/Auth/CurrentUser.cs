using System.Reflection;
using System.Security.Claims;

namespace Faultline.Server.Auth;

/// <summary>Authorization policy names used on endpoint groups.</summary>
internal static class Policies
{
    /// <summary>A signed-in person: a Faultline access token (<c>Authorization: Bearer fl_at_…</c>) or the dashboard cookie.</summary>
    public const string User = "user";
}

/// <summary>
/// The signed-in user, bound as an endpoint parameter from the authenticated principal: the
/// <c>sub</c> claim is <c>users.id</c>. Only valid on endpoints that require <see cref="Policies.User"/>.
/// </summary>
internal sealed record CurrentUser(Guid Id, string Login)
{
    public const string IdClaim = "sub";
    public const string LoginClaim = "login";

    public static CurrentUser? FromPrincipal(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(IdClaim), out var id)
            ? new CurrentUser(id, principal.FindFirstValue(LoginClaim) ?? string.Empty)
            : null;

    public static ValueTask<CurrentUser?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult(FromPrincipal(context.User));
}
