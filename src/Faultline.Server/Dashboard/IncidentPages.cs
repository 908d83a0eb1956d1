using Faultline.Contracts;
using Faultline.Core.Identifiers;
using Faultline.Server.Auth;
using Faultline.Server.Incidents;
using Faultline.Server.Projects;
using Microsoft.Extensions.Options;

namespace Faultline.Server.Dashboard;

/// <summary>A project's incidents (grouped or every one, filtered, keyset pages), one incident, resolve and reopen.</summary>
internal static class IncidentPages
{
    public static RouteGroupBuilder MapIncidentPages(this RouteGroupBuilder pages)
    {
        pages.MapGet("/projects/{projectId}/incidents", ListAsync);
        pages.MapGet("/incidents/{incidentId}", ShowAsync);
        pages.MapPost("/incidents/{incidentId}/resolve", ResolveAsync).DisableAntiforgery();
        pages.MapPost("/incidents/{incidentId}/reopen", ReopenAsync).DisableAntiforgery();
        return pages;
    }

    private static async Task<IResult> ListAsync(
        string projectId, string? sent, HttpContext context, ProjectQueries projects, IncidentQueries incidents, CancellationToken cancellationToken)
    {
        if (CurrentUser.FromPrincipal(context.User) is not { } user)
        {
            return DashboardRendering.SignIn(context);
        }

        if (await projects.GetAsync(user.Id, projectId, cancellationToken) is not { } project)
        {
            return DashboardRendering.NotFound();
        }

        var query = IncidentListQuery.From(context.Request.Query);
        var (parameters, errors) = query.ToFilter().Validate();
        IReadOnlyList<IncidentGroup> groups = [];
        IReadOnlyList<Incident> list = [];
        string? next = null;
        if (parameters is not null && query.View == IncidentListQuery.Groups)
        {
            var page = await incidents.ListGroupsAsync(user.Id, project.RepoFullName, parameters, cancellationToken);
            (groups, next) = (page?.Groups ?? [], page?.NextCursor);
        }
        else if (parameters is not null)
        {
            var page = await incidents.ListAsync(user.Id, project.RepoFullName, parameters, cancellationToken);
            (list, next) = (page?.Incidents ?? [], page?.NextCursor);
        }

        var model = new IncidentsView(project.ProjectId, project.RepoFullName, query, groups, list, next, errors,
            sent is not null && PublicIds.IsIncidentId(sent) ? sent : null);
        return await DashboardRendering.PageAsync<Components.IncidentsPage>(context, model,
            errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static async Task<IResult> ShowAsync(
        string incidentId, HttpContext context, IncidentQueries incidents, ProjectQueries projects, IOptions<GitHubOptions> gitHub,
        CancellationToken cancellationToken)
    {
        if (CurrentUser.FromPrincipal(context.User) is not { } user)
        {
            return DashboardRendering.SignIn(context);
        }

        if (!PublicIds.IsIncidentId(incidentId)
            || await incidents.GetAsync(user.Id, incidentId, cancellationToken) is not { } incident
            || await projects.GetAsync(user.Id, incident.ProjectId, cancellationToken) is not { } project)
        {
            return DashboardRendering.NotFound();
        }

        var web = gitHub.Value.WebUrl;
        var model = new IncidentView(
            incident, project.RepoFullName,
            Display.IsPlaceholderSha(incident.CommitSha) ? null : IncidentFrames.CommitUrl(web, project.RepoFullName, incident.CommitSha),
            IncidentFrames.For(incident, project.RepoFullName, web),
            IncidentFrames.FormatMetadata(incident.Metadata));
        return await DashboardRendering.PageAsync<Components.IncidentPage>(context, model);
    }

    private static Task<IResult> ResolveAsync(string incidentId, HttpContext context, IncidentWriter writer, CancellationToken cancellationToken) =>
        ChangeAsync(context, incidentId, (userId, id) => writer.ResolveAsync(userId, id, cancellationToken));

    private static Task<IResult> ReopenAsync(string incidentId, HttpContext context, IncidentWriter writer, CancellationToken cancellationToken) =>
        ChangeAsync(context, incidentId, (userId, id) => writer.ReopenAsync(userId, id, cancellationToken));

    private static async Task<IResult> ChangeAsync(HttpContext context, string incidentId, Func<Guid, string, Task<Incident?>> change)
    {
        if (await DashboardRendering.CheckFormAsync(context) is { } refused)
        {
            return refused;
        }

        var user = CurrentUser.FromPrincipal(context.User)!;
        return PublicIds.IsIncidentId(incidentId) && await change(user.Id, incidentId) is not null
            ? TypedResults.Redirect($"/incidents/{incidentId}")
            : DashboardRendering.NotFound();
    }
}
