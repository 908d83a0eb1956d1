using Dapper;
using Faultline.Core.Identifiers;
using Npgsql;

namespace Faultline.Testing.Incidents;

/// <summary>Incidents written straight into the database, as ingest would store them.</summary>
internal static class TestIncidents
{
    public const string CommitSha = "0123456789abcdef0123456789abcdef01234567";

    public static async Task<string> InsertAsync(
        string connectionString, Guid projectKey, DateTimeOffset occurredAt, string status = "open",
        string environment = "production", string? fingerprint = "fp-default", string filePath = "src/app.ts",
        string commitSha = CommitSha, string message = "TypeError: boom")
    {
        var incidentId = PublicIds.NewIncidentId(occurredAt);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(
            """
            INSERT INTO incidents (incident_id, project_id, error_message, error_type, stack_trace, file_path, line_number,
                                   column_number, commit_sha, environment, status, occurred_at, resolved_at, fingerprint, metadata)
            VALUES (@IncidentId, @ProjectKey, @Message, 'TypeError', 'at f (src/app.ts:12:5)', @FilePath, 12, 5, @CommitSha,
                    @Environment, @Status, @OccurredAt, CASE WHEN @Status = 'resolved' THEN @OccurredAt END, @Fingerprint,
                    '{"runtime":"node"}'::jsonb)
            """,
            new { IncidentId = incidentId, ProjectKey = projectKey, Message = message, FilePath = filePath, CommitSha = commitSha, Environment = environment, Status = status, OccurredAt = occurredAt, Fingerprint = fingerprint });
        return incidentId;
    }

    /// <summary><paramref name="count"/> incidents one second apart ending at <paramref name="newest"/>; every <paramref name="openEvery"/>th open.</summary>
    public static async Task InsertManyAsync(string connectionString, Guid projectKey, int count, DateTimeOffset newest, int openEvery = 1)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(
            """
            INSERT INTO incidents (incident_id, project_id, error_message, commit_sha, environment, status, occurred_at, fingerprint)
            SELECT 'inc_' || upper(substr(md5(random()::text || n), 1, 26)), @ProjectKey, 'Error ' || n, @CommitSha, 'production',
                   CASE WHEN n % @OpenEvery = 0 THEN 'open' ELSE 'resolved' END, @Newest - n * interval '1 second', 'fp-' || (n % 20)
            FROM generate_series(0, @Count - 1) AS n
            """,
            new { ProjectKey = projectKey, CommitSha, Newest = newest, Count = count, OpenEvery = openEvery },
            commandTimeout: 300);
    }
}
