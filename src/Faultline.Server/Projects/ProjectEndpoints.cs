using Faultline.Contracts;
using Faultline.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Faultline.Server.Projects;

internal static class ProjectEndpoints
{
    public static WebApplicationBuilder AddProjects(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProjectOptions>().BindConfiguration(ProjectOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ProjectsJsonContext.Default));
        builder.Services.AddSingleton<ProjectQueries>();
        builder.Services.AddSingleton<ProjectWriter>();
        builder.Services.AddScoped<RepositoryAccess>();
        return builder;
    }

    public static RouteGroupBuilder MapProjects(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/projects").WithTags("Projects").RequireAuthorization(Policies.User);
        group.MapGet("/", ListAsync);
        group.MapPost("/", CreateAsync);
        group.MapGet("/{projectId}", GetAsync);
        group.MapGet("/{projectId}/usage", GetUsageAsync);
        group.MapGet("/{projectId}/code-mappings", GetCodeMappingsAsync);
        group.MapPut("/{projectId}/code-mappings", PutCodeMappingsAsync);
        return group;
    }

    private static async Task<Ok<ProjectList>> ListAsync(
        CurrentUser user, HttpRequest request, ProjectQueries queries, IOptions<ProjectOptions> options, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ProjectList([.. (await queries.ListAsync(user.Id, cancellationToken)).Select(p => Response(p, request, options.Value))]));

    private static async Task<Results<Created<ProjectResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateProjectRequest body, CurrentUser user, HttpContext context, ProjectWriter writer, RepositoryAccess access,
        IOptions<ProjectOptions> options, CancellationToken cancellationToken)
    {
        if (!RepositoryName.TryParse(body.RepoFullName, out var owner, out var name))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["repo_full_name"] = ["Must be a GitHub repository as owner/name: the owner 1-39 letters, digits or single inner hyphens; the name 1-100 of A-Z a-z 0-9 . _ - (not . or ..)."],
            });
        }

        if (await access.CheckPushAsync(context, user, owner, name, cancellationToken) is { } refused)
        {
            return refused;
        }

        var project = await writer.CreateAsync(user.Id, owner, name, cancellationToken);
        if (project is null)
        {
            return TypedResults.Problem($"The repository {owner}/{name} already has a project.", statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }

        return TypedResults.Created($"/api/v1/projects/{project.ProjectId}", Response(project, context.Request, options.Value));
    }

    private static async Task<Results<Ok<ProjectResponse>, NotFound>> GetAsync(
        string projectId, CurrentUser user, HttpRequest request, ProjectQueries queries, IOptions<ProjectOptions> options, CancellationToken cancellationToken) =>
        await queries.GetAsync(user.Id, projectId, cancellationToken) is { } project
            ? TypedResults.Ok(Response(project, request, options.Value))
            : TypedResults.NotFound();

    private static async Task<Results<Ok<ProjectUsage>, NotFound>> GetUsageAsync(
        string projectId, CurrentUser user, ProjectQueries queries, CancellationToken cancellationToken) =>
        await queries.UsageAsync(user.Id, projectId, cancellationToken) is { } usage
            ? TypedResults.Ok(new ProjectUsage(projectId, usage))
            : TypedResults.NotFound();

    private static async Task<Results<Ok<CodeMappingList>, NotFound>> GetCodeMappingsAsync(
        string projectId, CurrentUser user, ProjectQueries queries, CancellationToken cancellationToken) =>
        await queries.CodeMappingsAsync(user.Id, projectId, cancellationToken) is { } mappings
            ? TypedResults.Ok(new CodeMappingList(mappings))
            : TypedResults.NotFound();

    /// <summary>Replaces all mappings. Ownership is checked before the body, so a stranger's id answers 404 whatever is sent.</summary>
    private static async Task<Results<Ok<CodeMappingList>, NotFound, ValidationProblem>> PutCodeMappingsAsync(
        string projectId, CodeMappingList body, CurrentUser user, ProjectQueries queries, ProjectWriter writer, CancellationToken cancellationToken)
    {
        if (await queries.GetAsync(user.Id, projectId, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        if (CodeMappingRules.Validate(body.CodeMappings) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await writer.ReplaceCodeMappingsAsync(user.Id, projectId, body.CodeMappings!, cancellationToken)
            && await queries.CodeMappingsAsync(user.Id, projectId, cancellationToken) is { } saved
            ? TypedResults.Ok(new CodeMappingList(saved))
            : TypedResults.NotFound();
    }

    private static ProjectResponse Response(ProjectRow project, HttpRequest request, ProjectOptions options) => new(
        project.ProjectId, project.ProjectNumber, project.RepoFullName, project.RepoOwner, project.RepoName, project.Platform,
        project.IngestApiKey, options.Dsn(request, project.IngestApiKey, project.ProjectNumber), project.CreatedAt);
}
