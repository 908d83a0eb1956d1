using Faultline.Server.Auth;
using Faultline.Server.Ingest;
using Faultline.Server.Projects;
using Microsoft.Extensions.Options;

namespace Faultline.Server.Dashboard;

/// <summary>The projects list, "New project", the project page and its "Send a test incident".</summary>
internal static class ProjectPages
{
    public static RouteGroupBuilder MapProjectPages(this RouteGroupBuilder pages)
    {
        pages.MapGet("/projects", ListAsync);
        pages.MapGet("/projects/new", NewAsync);
        pages.MapPost("/projects", CreateAsync).DisableAntiforgery();
        pages.MapGet("/projects/{projectId}", ShowAsync);
        pages.MapPost("/projects/{projectId}/test-incident", SendTestIncidentAsync).DisableAntiforgery();
        return pages;
    }

    private static async Task<IResult> ListAsync(HttpContext context, DashboardQueries queries, CancellationToken cancellationToken) =>
        CurrentUser.FromPrincipal(context.User) is not { } user
            ? DashboardRendering.SignIn(context)
            : await DashboardRendering.PageAsync<Components.ProjectsPage>(context, new ProjectsView(await queries.ListProjectSummariesAsync(user.Id, cancellationToken)));

    private static async Task<IResult> NewAsync(
        HttpContext context, string? filter, GitHubRepositories gitHub, IOptions<GitHubOptions> gitHubOptions, CancellationToken cancellationToken)
    {
        if (CurrentUser.FromPrincipal(context.User) is not { } user)
        {
            return DashboardRendering.SignIn(context);
        }

        return await NewPageAsync(context, user, filter, repoFullName: null, error: null, StatusCodes.Status200OK, gitHub, gitHubOptions.Value, cancellationToken);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context, ProjectWriter writer, RepositoryAccess access, GitHubRepositories gitHub, IOptions<GitHubOptions> gitHubOptions,
        CancellationToken cancellationToken)
    {
        if (await DashboardRendering.CheckFormAsync(context) is { } refused)
        {
            return refused;
        }

        var user = CurrentUser.FromPrincipal(context.User)!;
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var fullName = form["repo_full_name"].ToString().Trim();
        if (!RepositoryName.TryParse(fullName, out var owner, out var name))
        {
            return await NewPageAsync(context, user, null, fullName, "That is not a GitHub repository name: write it as owner/name, e.g. acme/storefront.",
                StatusCodes.Status400BadRequest, gitHub, gitHubOptions.Value, cancellationToken);
        }

        if (await access.CheckPushAsync(context, user, owner, name, cancellationToken) is { } forbidden)
        {
            return forbidden;
        }

        if (await writer.CreateAsync(user.Id, owner, name, cancellationToken) is not { } project)
        {
            return await NewPageAsync(context, user, null, fullName, $"{owner}/{name} already has a project.",
                StatusCodes.Status409Conflict, gitHub, gitHubOptions.Value, cancellationToken);
        }

        return TypedResults.Redirect($"/projects/{project.ProjectId}");
    }

    private static async Task<IResult> ShowAsync(
        string projectId, HttpContext context, ProjectQueries projects, DashboardQueries queries, IOptions<ProjectOptions> options,
        CancellationToken cancellationToken)
    {
        if (CurrentUser.FromPrincipal(context.User) is not { } user)
        {
            return DashboardRendering.SignIn(context);
        }

        if (await projects.GetAsync(user.Id, projectId, cancellationToken) is not { } project
            || await queries.GetProjectStatsAsync(user.Id, projectId, cancellationToken) is not { } stats)
        {
            return DashboardRendering.NotFound();
        }

        var usage = await projects.UsageAsync(user.Id, projectId, cancellationToken);
        var dsn = options.Value.Dsn(context.Request, project.IngestApiKey, project.ProjectNumber);
        var serverUrl = string.IsNullOrWhiteSpace(options.Value.PublicUrl)
            ? $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}"
            : options.Value.PublicUrl.TrimEnd('/');
        return await DashboardRendering.PageAsync<Components.ProjectPage>(context, new ProjectView(
            project.ProjectId, project.RepoFullName, dsn, project.IngestApiKey, serverUrl, usage?.FirstOrDefault(u => u.KeyType == "ingest"), stats));
    }

    /// <summary>
    /// Stores one incident through the same pipeline as <c>POST /api/v1/incidents</c> (key lookup, rate
    /// limit, cleaning, location, fingerprint, usage), then shows it in the project's list.
    /// </summary>
    private static async Task<IResult> SendTestIncidentAsync(
        string projectId, HttpContext context, ProjectQueries projects, IngestPipeline pipeline, CancellationToken cancellationToken)
    {
        if (await DashboardRendering.CheckFormAsync(context) is { } refused)
        {
            return refused;
        }

        var user = CurrentUser.FromPrincipal(context.User)!;
        if (await projects.GetAsync(user.Id, projectId, cancellationToken) is not { } project
            || await pipeline.FindProjectAsync(project.IngestApiKey, cancellationToken) is not { } ingestProject)
        {
            return DashboardRendering.NotFound();
        }

        if (pipeline.CheckRateLimit(context, ingestProject, 1, IngestRoutes.Native) is { } limited)
        {
            return limited;
        }

        var results = await pipeline.StoreAsync(ingestProject, [TestIncident.Draft(user.Login)], IngestRoutes.Native, cancellationToken);
        return TypedResults.Redirect($"/projects/{project.ProjectId}/incidents?sent={Uri.EscapeDataString(results[0].IncidentId)}");
    }

    private static async Task<IResult> NewPageAsync(
        HttpContext context, CurrentUser user, string? filter, string? repoFullName, string? error, int status,
        GitHubRepositories gitHub, GitHubOptions gitHubOptions, CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? repositories = null;
        try
        {
            repositories = await gitHub.ListPushableAsync(context, user, cancellationToken);
        }
        catch (HttpRequestException)
        {
            // GitHub is down or refused: the page says so and the typed name still works.
        }

        var model = new NewProjectView(gitHubOptions.IsConfigured, repositories, string.IsNullOrWhiteSpace(filter) ? null : filter.Trim(), repoFullName, error);
        return await DashboardRendering.PageAsync<Components.NewProjectPage>(context, model, status);
    }
}
