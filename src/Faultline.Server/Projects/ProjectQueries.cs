using Dapper;
using Faultline.Contracts;
using Npgsql;

namespace Faultline.Server.Projects;

/// <summary>A project row as stored; the DSN is added per request.</summary>
internal sealed record ProjectRow(
    Guid Id, string ProjectId, int ProjectNumber, string RepoFullName, string RepoOwner, string RepoName,
    string Platform, string IngestApiKey, DateTime? CreatedAt);

/// <summary>Reads of the caller's projects. The owner is in every WHERE: not yours and not there are the same null.</summary>
internal sealed class ProjectQueries(NpgsqlDataSource db)
{
    internal const string ProjectColumns = """
        id AS Id, project_id AS ProjectId, project_number AS ProjectNumber, repo_full_name AS RepoFullName,
        repo_owner AS RepoOwner, repo_name AS RepoName, platform AS Platform, ingest_api_key AS IngestApiKey, created_at AS CreatedAt
        """;

    private const string ListProjectsSql = $"SELECT {ProjectColumns} FROM projects WHERE owner_id = @UserId ORDER BY created_at, project_number";

    private const string GetProjectSql = $"SELECT {ProjectColumns} FROM projects WHERE project_id = @ProjectId AND owner_id = @UserId";

    private const string ListUsageSql = """
        SELECT u.key_type AS KeyType, COALESCE(u.usage_count, 0) AS UsageCount,
               CASE WHEN COALESCE(u.usage_count, 0) = 0 THEN NULL ELSE u.last_used_at END AS LastUsedAt
        FROM api_key_usage u JOIN projects p ON p.id = u.project_id
        WHERE p.project_id = @ProjectId AND p.owner_id = @UserId
        ORDER BY u.key_type
        """;

    private const string ListCodeMappingsSql = """
        SELECT m.stack_root AS StackRoot, m.source_root AS SourceRoot
        FROM project_code_mappings m JOIN projects p ON p.id = m.project_id
        WHERE p.project_id = @ProjectId AND p.owner_id = @UserId
        ORDER BY length(m.stack_root) DESC, m.stack_root
        """;

    public async Task<IReadOnlyList<ProjectRow>> ListAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<ProjectRow>(new CommandDefinition(ListProjectsSql, new { UserId = userId }, cancellationToken: cancellationToken))];
    }

    public async Task<ProjectRow?> GetAsync(Guid userId, string projectId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ProjectRow>(new CommandDefinition(GetProjectSql, new { UserId = userId, ProjectId = projectId }, cancellationToken: cancellationToken));
    }

    /// <summary>The project's key usage, or null when the caller has no such project.</summary>
    public async Task<IReadOnlyList<KeyUsage>?> UsageAsync(Guid userId, string projectId, CancellationToken cancellationToken)
    {
        if (await GetAsync(userId, projectId, cancellationToken) is null)
        {
            return null;
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<KeyUsage>(new CommandDefinition(ListUsageSql, new { UserId = userId, ProjectId = projectId }, cancellationToken: cancellationToken))];
    }

    /// <summary>The code mappings, most specific (longest stack_root) first, or null when the caller has no such project.</summary>
    public async Task<IReadOnlyList<CodeMapping>?> CodeMappingsAsync(Guid userId, string projectId, CancellationToken cancellationToken)
    {
        if (await GetAsync(userId, projectId, cancellationToken) is null)
        {
            return null;
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<CodeMapping>(new CommandDefinition(ListCodeMappingsSql, new { UserId = userId, ProjectId = projectId }, cancellationToken: cancellationToken))];
    }
}
