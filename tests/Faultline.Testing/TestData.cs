using Dapper;
using Faultline.Core.Identifiers;
using Npgsql;

namespace Faultline.Testing;

/// <summary>A user and a project written straight into the database, for tests isolated by data.</summary>
public sealed record TestProject(Guid Id, string ProjectId, int ProjectNumber, string RepositoryFullName, string IngestKey, Guid OwnerId);

public static class TestData
{
    private static int nextGitHubId = Random.Shared.Next(1_000_000, 1_500_000_000);

    public static async Task<Guid> CreateUserAsync(string connectionString, string? login = null)
    {
        var githubId = Interlocked.Increment(ref nextGitHubId);
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<Guid>(
            "INSERT INTO users (github_id, github_login) VALUES (@GitHubId, @Login) RETURNING id",
            new { GitHubId = githubId, Login = login ?? $"user{githubId}" });
    }

    public static async Task<TestProject> CreateProjectAsync(string connectionString, Guid? ownerId = null, string? repository = null)
    {
        var owner = ownerId ?? await CreateUserAsync(connectionString);
        repository ??= $"owner{Guid.NewGuid():N}"[..20] + "/repo-" + Guid.NewGuid().ToString("N")[..8];
        var parts = repository.Split('/');
        var projectId = PublicIds.NewProjectId();
        var key = SecretToken.Generate(SecretToken.IngestKeyPrefix);
        await using var connection = new NpgsqlConnection(connectionString);
        var (id, number) = await connection.QuerySingleAsync<(Guid, int)>(
            """
            WITH p AS (
              INSERT INTO projects (project_id, owner_id, repo_owner, repo_name, repo_full_name, ingest_api_key)
              VALUES (@ProjectId, @Owner, @RepoOwner, @RepoName, @Repository, @Key)
              RETURNING id, project_number)
            , u AS (INSERT INTO api_key_usage (project_id, key_type, usage_count) SELECT id, 'ingest', 0 FROM p)
            SELECT id, project_number FROM p
            """,
            new { ProjectId = projectId, Owner = owner, RepoOwner = parts[0], RepoName = parts[1], Repository = repository, Key = key });
        return new TestProject(id, projectId, number, repository, key, owner);
    }
}
