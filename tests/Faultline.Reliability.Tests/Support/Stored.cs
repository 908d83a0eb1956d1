using Dapper;
using Faultline.Testing;
using Npgsql;

namespace Faultline.Reliability.Tests.Support;

/// <summary>What the database holds for a project, read straight from the table.</summary>
internal static class Stored
{
    /// <summary>Each stored event id with its incident id and how many rows carry it.</summary>
    public static async Task<Dictionary<Guid, (string IncidentId, long Rows)>> EventsAsync(string connectionString, TestProject project)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var rows = await connection.QueryAsync<(Guid EventId, string IncidentId, long Rows)>(
            """
            SELECT event_id, min(incident_id), count(*)
            FROM incidents WHERE project_id = @Id AND event_id IS NOT NULL
            GROUP BY event_id
            """,
            new { project.Id },
            commandTimeout: 60);
        return rows.ToDictionary(r => r.EventId, r => (r.IncidentId, r.Rows));
    }

    public static async Task<bool> HasEventAsync(string connectionString, TestProject project, Guid eventId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM incidents WHERE project_id = @Id AND event_id = @EventId", new { project.Id, EventId = eventId }) == 1;
    }

    /// <summary>Drops a scenario's database at the end (the memory run alone writes hundreds of megabytes).</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var name = builder.Database!;
        builder.Database = "postgres";
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }
}
