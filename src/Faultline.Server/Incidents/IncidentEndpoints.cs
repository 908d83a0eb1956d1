using System.Text.Json.Serialization.Metadata;
using Faultline.Contracts;
using Faultline.Core.Identifiers;
using Faultline.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Faultline.Server.Incidents;

/// <summary>API.md "Incidents": lists with filters, keyset pagination and ETags; get, resolve, reopen.</summary>
internal static class IncidentEndpoints
{
    public static IServiceCollection AddIncidents(this IServiceCollection services)
    {
        services.AddSingleton<IncidentQueries>();
        services.AddSingleton<IncidentWriter>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Add(IncidentsJsonContext.Default));
        return services;
    }

    public static RouteGroupBuilder MapIncidents(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Incidents").RequireAuthorization(Policies.User);
        group.MapGet("/repos/{owner}/{repo}/incidents", ListIncidentsAsync);
        group.MapGet("/repos/{owner}/{repo}/incident-groups", ListIncidentGroupsAsync);
        group.MapPost("/repos/{owner}/{repo}/incident-groups/{fingerprint}/resolve", ResolveGroupAsync);
        group.MapGet("/incidents/{incidentId}", GetIncidentAsync);
        group.MapPost("/incidents/{incidentId}/resolve", ResolveIncidentAsync);
        group.MapPost("/incidents/{incidentId}/reopen", ReopenIncidentAsync);
        return group;
    }

    /// <summary>
    /// A conditional request first reads only the page's ids and statuses (its tag) and answers 304
    /// when they are unchanged; otherwise the page is read whole and written out row by row.
    /// </summary>
    private static async Task<IResult> ListIncidentsAsync(
        string owner, string repo, [AsParameters] IncidentFilter filter, CurrentUser user, IncidentQueries queries,
        HttpContext context, CancellationToken cancellationToken)
    {
        var (parameters, errors) = filter.Validate();
        if (parameters is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var repository = $"{owner}/{repo}";
        var ifNoneMatch = context.Request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            if (await queries.ListTagAsync(user.Id, repository, parameters, cancellationToken) is not { } current)
            {
                return TypedResults.NotFound();
            }

            if (EntityTags.Matches(ifNoneMatch, current))
            {
                return EntityTags.NotModified(context, current);
            }
        }

        if (await queries.ListRowsAsync(user.Id, repository, parameters, cancellationToken) is not { } page)
        {
            return TypedResults.NotFound();
        }

        EntityTags.SetHeaders(context, page.Tag);
        if (EntityTags.Matches(ifNoneMatch, page.Tag))
        {
            page.Dispose();
            return EntityTags.NotModified(context, page.Tag);
        }

        return new IncidentPageResult(page);
    }

    private static Task<IResult> ListIncidentGroupsAsync(
        string owner, string repo, [AsParameters] IncidentFilter filter, CurrentUser user, IncidentQueries queries,
        HttpContext context, CancellationToken cancellationToken) =>
        ListAsync(context, filter, IncidentsJsonContext.Default.IncidentGroupPage,
            parameters => queries.ListGroupsAsync(user.Id, $"{owner}/{repo}", parameters, cancellationToken));

    /// <summary>Both lists: 400 for a bad filter, 404 for a repository that is not the caller's, else the page with an ETag (or 304).</summary>
    private static async Task<IResult> ListAsync<TPage>(
        HttpContext context, IncidentFilter filter, JsonTypeInfo<TPage> typeInfo, Func<IncidentListParameters, Task<TPage?>> query)
        where TPage : class
    {
        var (parameters, errors) = filter.Validate();
        if (parameters is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await query(parameters) is { } page
            ? EntityTags.JsonWithETag(context, page, typeInfo)
            : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<Incident>, NotFound>> GetIncidentAsync(
        string incidentId, CurrentUser user, IncidentQueries queries, CancellationToken cancellationToken) =>
        PublicIds.IsIncidentId(incidentId) && await queries.GetAsync(user.Id, incidentId, cancellationToken) is { } incident
            ? TypedResults.Ok(incident)
            : TypedResults.NotFound();

    private static async Task<Results<Ok<Incident>, NotFound>> ResolveIncidentAsync(
        string incidentId, CurrentUser user, IncidentWriter writer, CancellationToken cancellationToken) =>
        PublicIds.IsIncidentId(incidentId) && await writer.ResolveAsync(user.Id, incidentId, cancellationToken) is { } incident
            ? TypedResults.Ok(incident)
            : TypedResults.NotFound();

    private static async Task<Results<Ok<Incident>, NotFound>> ReopenIncidentAsync(
        string incidentId, CurrentUser user, IncidentWriter writer, CancellationToken cancellationToken) =>
        PublicIds.IsIncidentId(incidentId) && await writer.ReopenAsync(user.Id, incidentId, cancellationToken) is { } incident
            ? TypedResults.Ok(incident)
            : TypedResults.NotFound();

    private static async Task<Results<Ok<IncidentGroupResolved>, NotFound>> ResolveGroupAsync(
        string owner, string repo, string fingerprint, CurrentUser user, IncidentWriter writer, CancellationToken cancellationToken) =>
        await writer.ResolveGroupAsync(user.Id, $"{owner}/{repo}", fingerprint, cancellationToken) is { } resolved
            ? TypedResults.Ok(resolved)
            : TypedResults.NotFound();
}
