using Faultline.Core.Identifiers;
using Npgsql;
using NpgsqlTypes;

namespace Faultline.Bench.Queries;

/// <summary>
/// Fills the database by binary COPY: 1,000 projects, one of them (<see cref="BigRepository"/>, owned
/// by the given user) holding a fifth of the incidents, the rest spread over the others; every tenth
/// incident open, the rest resolved; 200 fingerprints per project, occurred_at over the last 30 days.
/// </summary>
internal static class DataLoader
{
    public const string BigRepository = "bench/big";
    public const int Projects = 1_000;
    public const int Fingerprints = 200;

    public static async Task LoadAsync(NpgsqlDataSource db, Guid bigOwner, int incidents)
    {
        var otherOwner = (Guid)(await db.CreateCommand("INSERT INTO users (github_id, github_login) VALUES (1, 'bench-other') RETURNING id").ExecuteScalarAsync())!;
        var projects = new Guid[Projects];
        await using (var connection = await db.OpenConnectionAsync())
        {
            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY projects (project_id, owner_id, repo_owner, repo_name, repo_full_name, ingest_api_key) FROM STDIN (FORMAT BINARY)"))
            {
                for (var p = 0; p < Projects; p++)
                {
                    var (owner, name) = p == 0 ? ("bench", "big") : ("bench", $"small-{p:D4}");
                    await copy.StartRowAsync();
                    await copy.WriteAsync(PublicIds.NewProjectId());
                    await copy.WriteAsync(p == 0 ? bigOwner : otherOwner);
                    await copy.WriteAsync(owner);
                    await copy.WriteAsync(name);
                    await copy.WriteAsync($"{owner}/{name}");
                    await copy.WriteAsync(SecretToken.Generate(SecretToken.IngestKeyPrefix));
                }

                await copy.CompleteAsync();
            }

            await using var ids = new NpgsqlCommand("SELECT id, repo_full_name FROM projects WHERE repo_owner = 'bench'", connection);
            await using var reader = await ids.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var name = reader.GetString(1);
                projects[name == BigRepository ? 0 : int.Parse(name.AsSpan("bench/small-".Length), System.Globalization.CultureInfo.InvariantCulture)] = reader.GetGuid(0);
            }
        }

        var big = incidents / 5;
        var now = DateTimeOffset.UtcNow;
        var random = new Random(5);
        await using (var connection = await db.OpenConnectionAsync())
        {
            await using var copy = await connection.BeginBinaryImportAsync(
                """
                COPY incidents (incident_id, project_id, error_message, error_type, stack_trace, file_path, line_number, column_number,
                                commit_sha, environment, status, occurred_at, resolved_at, fingerprint, metadata) FROM STDIN (FORMAT BINARY)
                """);
            for (var n = 0; n < incidents; n++)
            {
                var occurredAt = now.AddSeconds(-random.Next(30 * 24 * 3600)).AddMilliseconds(-random.Next(1000));
                var open = n % 10 == 0;
                var fingerprint = random.Next(Fingerprints);
                await copy.StartRowAsync();
                await copy.WriteAsync(PublicIds.NewIncidentId(occurredAt));
                await copy.WriteAsync(n < big ? projects[0] : projects[1 + (n % (Projects - 1))]);
                await copy.WriteAsync($"Cannot read properties of undefined (reading 'f{fingerprint}')");
                await copy.WriteAsync("TypeError");
                await copy.WriteAsync(BenchTraces.Node);
                await copy.WriteAsync($"src/app/feature{fingerprint % 40}/page.tsx");
                await copy.WriteAsync(10 + fingerprint, NpgsqlDbType.Integer);
                await copy.WriteAsync(17, NpgsqlDbType.Integer);
                await copy.WriteAsync("0123456789abcdef0123456789abcdef01234567");
                await copy.WriteAsync(n % 7 == 0 ? "preview" : "production");
                await copy.WriteAsync(open ? "open" : "resolved");
                await copy.WriteAsync(occurredAt, NpgsqlDbType.TimestampTz);
                if (open)
                {
                    await copy.WriteNullAsync();
                }
                else
                {
                    await copy.WriteAsync(occurredAt.AddHours(1), NpgsqlDbType.TimestampTz);
                }

                await copy.WriteAsync($"fp-{fingerprint:D3}");
                await copy.WriteAsync("""{"runtime":"node","framework":"next"}""", NpgsqlDbType.Jsonb);
            }

            await copy.CompleteAsync();
        }

        // What autovacuum does to a loaded table soon after: statistics and the visibility map
        // (which lets the groups count read only its index).
        await using var analyze = db.CreateCommand("VACUUM ANALYZE");
        analyze.CommandTimeout = 600;
        await analyze.ExecuteNonQueryAsync();

        // The load dirtied gigabytes of shared buffers; write them out now rather than while measuring.
        await using var checkpoint = db.CreateCommand("CHECKPOINT");
        checkpoint.CommandTimeout = 600;
        await checkpoint.ExecuteNonQueryAsync();
    }
}
