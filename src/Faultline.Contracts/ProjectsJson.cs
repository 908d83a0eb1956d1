using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faultline.Contracts;

/// <summary><c>POST /api/v1/projects</c>: <c>repo_full_name</c> is GitHub's <c>owner/name</c>.</summary>
public sealed record CreateProjectRequest(string? RepoFullName);

/// <summary>A project as its owner sees it, with its ingest key and the DSN for Sentry SDKs.</summary>
public sealed record ProjectResponse(
    string ProjectId,
    int ProjectNumber,
    string RepoFullName,
    string RepoOwner,
    string RepoName,
    string Platform,
    string IngestApiKey,
    string Dsn,
    DateTime? CreatedAt);

public sealed record ProjectList(IReadOnlyList<ProjectResponse> Projects);

/// <summary>One row of <c>api_key_usage</c>; <c>last_used_at</c> is null until the key is first used.</summary>
public sealed record KeyUsage(string KeyType, long UsageCount, DateTime? LastUsedAt);

/// <summary><c>GET /api/v1/projects/{project_id}/usage</c>.</summary>
public sealed record ProjectUsage(string ProjectId, IReadOnlyList<KeyUsage> Usage);

/// <summary>Where a frame path starts with <c>stack_root</c>, that prefix becomes <c>source_root</c>.</summary>
public sealed record CodeMapping(string? StackRoot, string? SourceRoot);

/// <summary><c>GET|PUT /api/v1/projects/{project_id}/code-mappings</c>, most specific first.</summary>
public sealed record CodeMappingList(IReadOnlyList<CodeMapping>? CodeMappings);

/// <summary>
/// Source-generated JSON for the project records, with <see cref="FaultlineJsonContext"/>'s options. A context of its
/// own because the generator fails when one context's [JsonSerializable] attributes are split
/// across partial declarations (dotnet/runtime#99669).
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CreateProjectRequest))]
[JsonSerializable(typeof(ProjectResponse))]
[JsonSerializable(typeof(ProjectList))]
[JsonSerializable(typeof(ProjectUsage))]
[JsonSerializable(typeof(CodeMappingList))]
public sealed partial class ProjectsJsonContext : JsonSerializerContext;
