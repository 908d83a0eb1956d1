using Faultline.Server.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Faultline.Server.Dashboard;

/// <summary>
/// Renders a page component to HTML (static server rendering: no circuit, no WebAssembly, no
/// script needed) with the status code the handler chose.
/// </summary>
internal static class DashboardRendering
{
    /// <summary>The frame of a normal page: the signed-in user and a fresh antiforgery token for its forms.</summary>
    public static PageShell Shell(HttpContext context)
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        return new PageShell(CurrentUser.FromPrincipal(context.User)?.Login, antiforgery, time.GetUtcNow());
    }

    /// <summary>A page component that takes <c>Page</c> (the frame) and <c>Model</c>.</summary>
    public static Task<IResult> PageAsync<TComponent>(HttpContext context, object model, int status = StatusCodes.Status200OK)
        where TComponent : IComponent =>
        PageAsync<TComponent>(context, new Dictionary<string, object?> { ["Page"] = Shell(context), ["Model"] = model }, status);

    public static async Task<IResult> PageAsync<TComponent>(HttpContext context, IDictionary<string, object?> parameters, int status = StatusCodes.Status200OK)
        where TComponent : IComponent
    {
        var html = await RenderAsync<TComponent>(context, parameters);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    public static async Task<string> RenderAsync<TComponent>(HttpContext context, IDictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(context.RequestServices, context.RequestServices.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
    }

    /// <summary>
    /// A form post's preconditions: signed in (else to the sign-in page, or 401 for a client that is
    /// not a browser) and, when the cookie is what signs it in, the antiforgery token (else 400).
    /// A bearer token cannot be forged by another site, so it needs none (as in UseFaultlineAuth).
    /// Null when the handler may go on.
    /// </summary>
    public static async Task<IResult?> CheckFormAsync(HttpContext context)
    {
        if (CurrentUser.FromPrincipal(context.User) is null)
        {
            return DashboardErrorWriter.WantsHtml(context.Request) ? TypedResults.Redirect("/sign-in") : TypedResults.Unauthorized();
        }

        return context.User.Identity?.AuthenticationType != AuthSchemes.Cookie
            || await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context)
            ? null
            : TypedResults.Problem("The form was stale or not sent from this dashboard. Reload the page and try again.",
                statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token");
    }

    /// <summary>Not signed in: a browser goes to the sign-in page, which comes back here afterwards; other clients get 401.</summary>
    public static IResult SignIn(HttpContext context) =>
        DashboardErrorWriter.WantsHtml(context.Request)
            ? TypedResults.Redirect("/sign-in?return_url=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString))
            : TypedResults.Unauthorized();

    /// <summary>
    /// 404, exactly as for anything that does not exist (not yours is the same answer, by construction):
    /// the status code pages render it, as the HTML error page for a browser, problem+json otherwise.
    /// </summary>
    public static IResult NotFound() => TypedResults.NotFound();
}
