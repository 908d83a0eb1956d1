using System.Buffers;
using Faultline.Core.StackTraces;
using Faultline.Server.Database;
using Npgsql;
using NpgsqlTypes;

namespace Faultline.Server.Ingest;

/// <summary>The project an ingest key belongs to, with what ingest needs of it.</summary>
internal sealed record IngestProject(Guid Id, string ProjectId, int ProjectNumber, IReadOnlyList<CodeMapping> CodeMappings);

/// <summary>
/// Finds the project of an ingest key with a fresh query for every request (the schema document
/// rules out a cache). Lookups arriving together share one round trip:
/// <c>WHERE ingest_api_key = ANY(@keys)</c>.
/// </summary>
internal sealed class IngestKeys : IAsyncDisposable
{
    private const string FindProjectsSql = """
        SELECT p.ingest_api_key, p.id, p.project_id, p.project_number,
               COALESCE(m.stack_roots, '{}'), COALESCE(m.source_roots, '{}')
        FROM projects p
        LEFT JOIN LATERAL (
          SELECT array_agg(stack_root ORDER BY length(stack_root) DESC) AS stack_roots,
                 array_agg(source_root ORDER BY length(stack_root) DESC) AS source_roots
          FROM project_code_mappings WHERE project_id = p.id
        ) m ON TRUE
        WHERE p.ingest_api_key = ANY($1)
        """;

    public const int MaxKeyLength = 128;

    private static readonly SearchValues<char> KeyCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    private readonly NpgsqlDataSource dataSource;
    private readonly MicroBatcher<string, IngestProject?> batcher;

    public IngestKeys([FromKeyedServices(DatabaseExtensions.IngestDataSource)] NpgsqlDataSource dataSource)
    {
        this.dataSource = dataSource;
        batcher = new MicroBatcher<string, IngestProject?>(FindManyAsync, maxBatch: 256, concurrency: 2, capacity: 20_000);
    }

    /// <summary>The key's project, or null when no project has this key.</summary>
    /// <remarks>
    /// A key with characters no key has (keys are <c>[A-Za-z0-9_]</c>) is unknown without a query: a NUL
    /// would make PostgreSQL refuse the whole batched look-up, failing the requests that shared it.
    /// </remarks>
    public Task<IngestProject?> FindAsync(string key, CancellationToken cancellationToken) =>
        key.Length is 0 or > MaxKeyLength || key.AsSpan().ContainsAnyExcept(KeyCharacters)
            ? Task.FromResult<IngestProject?>(null)
            : batcher.EnqueueAsync(key, cancellationToken);

    public ValueTask DisposeAsync() => batcher.DisposeAsync();

    private async Task<IReadOnlyList<BatchOutcome<IngestProject?>>> FindManyAsync(IReadOnlyList<string> keys, Action startNext, CancellationToken cancellationToken)
    {
        startNext(); // look-ups need no order: the next may be sent before this one is answered
        var found = new Dictionary<string, IngestProject>(StringComparer.Ordinal);
        await using (var command = dataSource.CreateCommand(FindProjectsSql))
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keys.Distinct(StringComparer.Ordinal)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var stackRoots = reader.GetFieldValue<string[]>(4);
                var sourceRoots = reader.GetFieldValue<string[]>(5);
                var mappings = stackRoots.Select((root, i) => new CodeMapping(root, sourceRoots[i])).ToList();
                found[reader.GetString(0)] = new IngestProject(reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3), mappings);
            }
        }

        return [.. keys.Select(k => BatchOutcome<IngestProject?>.Success(found.GetValueOrDefault(k)))];
    }
}
