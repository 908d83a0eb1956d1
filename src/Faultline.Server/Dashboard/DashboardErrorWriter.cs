using System.Diagnostics;
using Faultline.Server.Auth;
using Microsoft.AspNetCore.Antiforgery;

namespace Faultline.Server.Dashboard;

/// <summary>
/// Errors a browser navigates to (no route, 403, 404, a 500 from a failed page) get an HTML page
/// instead of problem+json. API routes (<c>/api/…</c>, the Sentry routes too) and clients that do not
/// ask for HTML keep problem+json. It goes first among the problem details writers, so the
/// exception handler and the status code pages use it.
/// </summary>
internal sealed class DashboardErrorWriter(TimeProvider time) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => WantsHtml(context.HttpContext.Request);

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var status = context.ProblemDetails.Status ?? http.Response.StatusCode;
        var html = await DashboardRendering.RenderAsync<Components.ErrorPage>(http, new Dictionary<string, object?>
        {
            ["Page"] = new PageShell(CurrentUser.FromPrincipal(http.User)?.Login, status < 500 ? Antiforgery(http) : null, time.GetUtcNow()),
            ["Status"] = status,
            ["Detail"] = status < 500 ? context.ProblemDetails.Detail : null,
            ["TraceId"] = status >= 500 ? Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier : null,
        });
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync(html, http.RequestAborted);
    }

    /// <summary>For the sign-out form of a signed-in user's 4xx page; none after a server failure, which it could repeat.</summary>
    private static AntiforgeryTokenSet? Antiforgery(HttpContext context) =>
        CurrentUser.FromPrincipal(context.User) is null || context.Response.HasStarted
            ? null
            : context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);

    /// <summary>A browser's page request: not an API route, and HTML is what it accepts.</summary>
    internal static bool WantsHtml(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api")
        && request.GetTypedHeaders().Accept is { Count: > 0 } accept
        && accept.Any(type => type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
