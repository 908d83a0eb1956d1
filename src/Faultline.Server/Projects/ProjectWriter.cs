using Dapper;
using Faultline.Contracts;
using Faultline.Core.Identifiers;
using Npgsql;

namespace Faultline.Server.Projects;

/// <summary>Creates projects (with their ingest key and its usage row, in one transaction) and replaces code mappings.</summary>
internal sealed class ProjectWriter(NpgsqlDataSource db, TimeProvider time)
{
    private const string InsertProjectSql = $"""
        INSERT INTO projects (project_id, owner_id, repo_owner, repo_name, repo_full_name, ingest_api_key, created_at, updated_at)
        VALUES (@ProjectId, @UserId, @RepoOwner, @RepoName, @RepoFullName, @IngestApiKey, @Now, @Now)
        RETURNING {ProjectQueries.ProjectColumns}
        """;

    private const string InsertUsageSql = """
        INSERT INTO api_key_usage (project_id, key_type, usage_count) VALUES (@ProjectId, 'ingest', 0)
        """;

    private const string LockOwnedProjectSql = """
        SELECT id FROM projects WHERE project_id = @ProjectId AND owner_id = @UserId FOR UPDATE
        """;

    private const string ReplaceCodeMappingsSql = """
        DELETE FROM project_code_mappings WHERE project_id = @Id;
        INSERT INTO project_code_mappings (project_id, stack_root, source_root)
        SELECT @Id, s, r FROM unnest(@StackRoots, @SourceRoots) AS m(s, r);
        """;

    /// <summary>The new project, or null when the repository already has one (in any letter case).</summary>
    public async Task<ProjectRow?> CreateAsync(Guid userId, string owner, string name, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            var project = await connection.QuerySingleAsync<ProjectRow>(new CommandDefinition(InsertProjectSql, new
            {
                ProjectId = PublicIds.NewProjectId(),
                UserId = userId,
                RepoOwner = owner,
                RepoName = name,
                RepoFullName = $"{owner}/{name}",
                IngestApiKey = SecretToken.Generate(SecretToken.IngestKeyPrefix),
                Now = time.GetUtcNow().UtcDateTime,
            }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(InsertUsageSql, new { ProjectId = project.Id }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return project;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation
            && exception.ConstraintName is "projects_repo_full_name_key" or "idx_projects_repo_full_name_lower")
        {
            return null;
        }
    }

    /// <summary>Replaces the project's code mappings; false when the caller has no such project.</summary>
    public async Task<bool> ReplaceCodeMappingsAsync(Guid userId, string projectId, IReadOnlyList<CodeMapping> mappings, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(LockOwnedProjectSql, new { ProjectId = projectId, UserId = userId }, transaction, cancellationToken: cancellationToken));
        if (id is null)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(ReplaceCodeMappingsSql, new
        {
            Id = id.Value,
            StackRoots = mappings.Select(m => m.StackRoot!).ToArray(),
            SourceRoots = mappings.Select(m => m.SourceRoot!).ToArray(),
        }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
