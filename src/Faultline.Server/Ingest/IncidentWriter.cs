using Microsoft.Extensions.Options;
using Faultline.Server.Database;
using Npgsql;
using NpgsqlTypes;

namespace Faultline.Server.Ingest;

/// <summary>What one request asks to store: its project's incidents (possibly none: a key use only).</summary>
internal sealed record WriteRequest(Guid ProjectId, IReadOnlyList<IncidentRecord> Incidents);

/// <summary>The stored incident for one record: a new one, or the one an earlier delivery of the same event made.</summary>
internal sealed record WriteResult(string IncidentId, Guid EventId, bool Duplicate);

/// <summary>
/// Group commit: concurrent requests' incidents go into one transaction — one multi-row insert
/// from arrays that returns the new incidents' ids, one <c>api_key_usage</c> update per project,
/// sent together as one batch, which PostgreSQL runs as one implicit transaction committed at its
/// end — and every request is answered after that commit. With more than one writer
/// (<see cref="IngestOptions.Writers"/>), the next batch is gathered and sent as soon as this one
/// is sent, and runs beside it (it then waits for the same project's locks, so the two commit in
/// order). A retried event id finds the incident its first delivery made
/// (<c>ON CONFLICT (project_id, event_id) DO NOTHING</c>;
/// the events the insert did not return are then looked up in a new statement, which sees rows
/// that concurrent transactions committed meanwhile).
/// </summary>
internal sealed partial class IncidentWriter : IAsyncDisposable
{
    private const string InsertSql = """
        INSERT INTO incidents (incident_id, project_id, event_id, error_message, error_type, stack_trace,
          file_path, line_number, column_number, commit_sha, deployment_id, environment, occurred_at,
          fingerprint, metadata)
        SELECT t.incident_id, t.project_id, t.event_id, t.error_message, t.error_type, t.stack_trace,
          t.file_path, t.line_number, t.column_number, t.commit_sha, t.deployment_id, t.environment, t.occurred_at,
          t.fingerprint, t.metadata::jsonb
        FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[],
          $9::int[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::text[], $15::text[])
          AS t(incident_id, project_id, event_id, error_message, error_type, stack_trace, file_path, line_number,
          column_number, commit_sha, deployment_id, environment, occurred_at, fingerprint, metadata)
        ON CONFLICT (project_id, event_id) DO NOTHING
        RETURNING project_id, event_id, incident_id
        """;

    private const string SelectIdsSql = """
        SELECT i.project_id, i.event_id, i.incident_id
        FROM incidents i
        JOIN unnest($1::uuid[], $2::uuid[]) AS k(project_id, event_id)
          ON i.project_id = k.project_id AND i.event_id = k.event_id
        """;

    // Rows are locked in project order first, so two batches never wait on each other in a cycle.
    private const string UpdateUsageSql = """
        WITH counts AS (SELECT * FROM unnest($1::uuid[], $2::bigint[]) AS c(project_id, uses)),
        locked AS (
          SELECT a.id FROM api_key_usage a JOIN counts c ON c.project_id = a.project_id
          WHERE a.key_type = 'ingest' ORDER BY a.project_id FOR UPDATE OF a)
        UPDATE api_key_usage a SET last_used_at = now(), usage_count = COALESCE(a.usage_count, 0) + c.uses
        FROM counts c WHERE a.project_id = c.project_id AND a.key_type = 'ingest' AND a.id IN (SELECT id FROM locked)
        """;

    private readonly NpgsqlDataSource dataSource;
    private readonly ILogger<IncidentWriter> logger;
    private readonly MicroBatcher<WriteRequest, IReadOnlyList<WriteResult>> batcher;

    public IncidentWriter([FromKeyedServices(DatabaseExtensions.IngestDataSource)] NpgsqlDataSource dataSource, IOptions<IngestOptions> options, ILogger<IncidentWriter> logger)
    {
        this.dataSource = dataSource;
        this.logger = logger;
        batcher = new MicroBatcher<WriteRequest, IReadOnlyList<WriteResult>>(
            WriteBatchAsync, options.Value.MaxBatchSize, options.Value.Writers, capacity: 10_000, weight: r => Math.Max(1, r.Incidents.Count));
    }

    /// <summary>Stores the incidents and returns, after the commit, what became of each.</summary>
    public Task<IReadOnlyList<WriteResult>> WriteAsync(WriteRequest request, CancellationToken cancellationToken) =>
        batcher.EnqueueAsync(request, cancellationToken);

    public ValueTask DisposeAsync() => batcher.DisposeAsync();

    private async Task<IReadOnlyList<BatchOutcome<IReadOnlyList<WriteResult>>>> WriteBatchAsync(
        IReadOnlyList<WriteRequest> requests, Action startNext, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return [.. (await WriteOnceAsync(requests, startNext, cancellationToken)).Select(BatchOutcome<IReadOnlyList<WriteResult>>.Success)];
            }
            catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < 3)
            {
                LogRetry(logger, exception.SqlState, attempt);
            }
            catch (PostgresException exception) when (requests.Count > 1 && !exception.IsTransient && !Errors.ProblemDetailsExtensions.IsDatabaseUnavailable(exception))
            {
                // One request's data broke the batch: store the others one by one, so only it fails.
                LogIsolating(logger, exception.SqlState, requests.Count);
                return await WriteOneByOneAsync(requests, cancellationToken);
            }
        }
    }

    private async Task<IReadOnlyList<BatchOutcome<IReadOnlyList<WriteResult>>>> WriteOneByOneAsync(IReadOnlyList<WriteRequest> requests, CancellationToken cancellationToken)
    {
        var results = new BatchOutcome<IReadOnlyList<WriteResult>>[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            try
            {
                results[i] = BatchOutcome<IReadOnlyList<WriteResult>>.Success((await WriteOnceAsync([requests[i]], static () => { }, cancellationToken))[0]);
            }
            catch (PostgresException exception) when (!exception.IsTransient)
            {
                results[i] = BatchOutcome<IReadOnlyList<WriteResult>>.Failure(exception);
            }
        }

        return results;
    }

    private async Task<IReadOnlyList<IReadOnlyList<WriteResult>>> WriteOnceAsync(
        IReadOnlyList<WriteRequest> requests, Action startNext, CancellationToken cancellationToken)
    {
        // The first delivery of an event in the batch wins; later copies are answered with its id.
        var unique = new Dictionary<(Guid, Guid), IncidentRecord>();
        foreach (var request in requests)
        {
            foreach (var incident in request.Incidents)
            {
                unique.TryAdd((incident.ProjectId, incident.EventId), incident);
            }
        }

        var rows = unique.Values.ToList();
        var usage = requests.GroupBy(r => r.ProjectId).OrderBy(g => g.Key).ToList();
        var stored = new Dictionary<(Guid, Guid), string>(rows.Count);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var batch = new NpgsqlBatch(connection))
        {
            if (rows.Count > 0)
            {
                batch.BatchCommands.Add(InsertCommand(rows));
            }

            var update = new NpgsqlBatchCommand(UpdateUsageSql);
            update.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. usage.Select(g => g.Key)] });
            update.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. usage.Select(g => (long)g.Count())] });
            batch.BatchCommands.Add(update);

            // The turn passes now, not once the insert's rows are read: PostgreSQL sends those only
            // with the rest of the batch's answer, after the commit, so a turn passed then made the
            // writers take turns one commit at a time.
            startNext();
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            if (rows.Count > 0)
            {
                // The new incidents, as the insert returns them.
                while (await reader.ReadAsync(cancellationToken))
                {
                    stored[(reader.GetGuid(0), reader.GetGuid(1))] = reader.GetString(2);
                }
            }

            // Read to the end: the batch's implicit transaction has committed when the reader is done.
            while (await reader.NextResultAsync(cancellationToken))
            {
            }
        }

        // Events already stored (a retry, or a concurrent delivery that committed first): their ids.
        var earlier = rows.Where(r => !stored.ContainsKey((r.ProjectId, r.EventId))).ToList();
        if (earlier.Count > 0)
        {
            await using var select = new NpgsqlCommand(SelectIdsSql, connection);
            select.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. earlier.Select(r => r.ProjectId)] });
            select.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. earlier.Select(r => r.EventId)] });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                stored[(reader.GetGuid(0), reader.GetGuid(1))] = reader.GetString(2);
            }
        }

        return [.. requests.Select(request => (IReadOnlyList<WriteResult>)[.. request.Incidents.Select(incident =>
        {
            var incidentId = stored[(incident.ProjectId, incident.EventId)];
            return new WriteResult(incidentId, incident.EventId, !string.Equals(incidentId, incident.IncidentId, StringComparison.Ordinal));
        })])];
    }

    private static NpgsqlBatchCommand InsertCommand(List<IncidentRecord> rows)
    {
        var command = new NpgsqlBatchCommand(InsertSql);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.IncidentId)] });
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. rows.Select(r => r.ProjectId)] });
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. rows.Select(r => r.EventId)] });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.ErrorMessage)] });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. rows.Select(r => r.ErrorType)] });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. rows.Select(r => r.StackTrace)] });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. rows.Select(r => r.FilePath)] });
        p.Add(new NpgsqlParameter<int?[]> { TypedValue = [.. rows.Select(r => r.LineNumber)] });
        p.Add(new NpgsqlParameter<int?[]> { TypedValue = [.. rows.Select(r => r.ColumnNumber)] });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.CommitSha)] });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. rows.Select(r => r.DeploymentId)] });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.Environment)] });
        p.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. rows.Select(r => r.OccurredAt)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.Fingerprint)] });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.Metadata)] });
        return command;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest batch hit {SqlState} (attempt {Attempt}); retrying")]
    private static partial void LogRetry(ILogger logger, string sqlState, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest batch of {Count} requests failed with {SqlState}; storing them one by one")]
    private static partial void LogIsolating(ILogger logger, string sqlState, int count);
}
