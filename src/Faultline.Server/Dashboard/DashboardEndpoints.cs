using Faultline.Server.Auth;
using Microsoft.Extensions.Options;

namespace Faultline.Server.Dashboard;

/// <summary>
/// The dashboard: server-rendered pages on the cookie session, working without JavaScript. GETs
/// render; every POST is a plain form with the antiforgery token that redirects when done.
/// </summary>
internal static class DashboardEndpoints
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddSingleton<DashboardQueries>();
        services.AddHttpClient<GitHubRepositories>(GitHubClient.Configure);

        // First among the problem details writers, so that browsers get HTML error pages.
        services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, DashboardErrorWriter>());
        return services;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapStaticAssets();
        var pages = app.MapGroup("").ExcludeFromDescription();
        pages.MapGet("/", Home);
        pages.MapGet("/sign-in", SignInAsync);
        pages.MapProjectPages();
        pages.MapIncidentPages();
        return app;
    }

    private static IResult Home(HttpContext context) =>
        TypedResults.Redirect(CurrentUser.FromPrincipal(context.User) is null ? "/sign-in" : "/projects");

    private static async Task<IResult> SignInAsync(
        HttpContext context, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "return_url")] string? returnUrl, IOptions<GitHubOptions> gitHub)
    {
        var target = BrowserAuthEndpoints.LocalUrlOrRoot(returnUrl);
        if (CurrentUser.FromPrincipal(context.User) is not null)
        {
            return TypedResults.LocalRedirect(target == "/" ? "/projects" : target);
        }

        return await DashboardRendering.PageAsync<Components.SignInPage>(context, new SignInView(gitHub.Value.IsConfigured, target == "/" ? "/projects" : target));
    }
}
