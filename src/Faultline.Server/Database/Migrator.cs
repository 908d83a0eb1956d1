using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace Faultline.Server.Database;

/// <summary>One numbered migration: its up and down SQL, embedded in this assembly.</summary>
internal sealed record Migration(int Version, string Name, string UpSql, string DownSql)
{
    /// <summary>SHA-256 of the up script; an applied migration whose file changed is refused.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(UpSql)));
}

internal sealed record AppliedMigration(int Version, string Name, string Checksum, DateTime AppliedAt);

internal sealed record MigrationStatus(Migration Migration, AppliedMigration? Applied);

internal sealed class MigrationException(string message) : Exception(message);

/// <summary>
/// Applies the embedded SQL migrations in order: one transaction per migration, recorded in
/// <c>schema_migrations</c>, under a session-level advisory lock so that servers starting together
/// migrate exactly once. No library on the NuGet mirror does up/down SQL pairs with a lock
/// (DbUp and Evolve are forward-only; FluentMigrator wants C# migrations), hence this small class.
/// </summary>
internal sealed partial class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    /// <summary>An arbitrary constant naming Faultline's migration lock ("faultlin" in ASCII).</summary>
    internal const long AdvisoryLockKey = 0x6661756c746c696e;

    private const string CreateHistorySql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          checksum TEXT NOT NULL,
          applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        )
        """;

    private const string SelectAppliedSql = """
        SELECT version, name, checksum, applied_at AS AppliedAt FROM schema_migrations ORDER BY version
        """;

    private const string InsertAppliedSql = """
        INSERT INTO schema_migrations (version, name, checksum) VALUES (@Version, @Name, @Checksum)
        """;

    private const string DeleteAppliedSql = "DELETE FROM schema_migrations WHERE version = @Version";

    private static readonly Lazy<IReadOnlyList<Migration>> Embedded = new(LoadEmbedded);

    public static IReadOnlyList<Migration> All => Embedded.Value;

    public static int LatestVersion => All[^1].Version;

    /// <summary>Applies every pending migration. Returns the versions applied by this call.</summary>
    public async Task<IReadOnlyList<int>> UpAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var locked = await LockAsync(connection, cancellationToken);
        var applied = await ReadAppliedAsync(connection, cancellationToken);
        Verify(applied);

        var done = new List<int>();
        foreach (var migration in All.Where(m => !applied.ContainsKey(m.Version)))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(migration.UpSql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                InsertAppliedSql, new { migration.Version, migration.Name, migration.Checksum }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            LogApplied(logger, migration.Version, migration.Name);
            done.Add(migration.Version);
        }

        return done;
    }

    /// <summary>Reverts applied migrations above <paramref name="targetVersion"/>, newest first.</summary>
    public async Task<IReadOnlyList<int>> DownAsync(int targetVersion, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var locked = await LockAsync(connection, cancellationToken);
        var applied = await ReadAppliedAsync(connection, cancellationToken);
        Verify(applied);

        var done = new List<int>();
        foreach (var migration in All.Where(m => m.Version > targetVersion && applied.ContainsKey(m.Version)).Reverse())
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(migration.DownSql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                DeleteAppliedSql, new { migration.Version }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            LogReverted(logger, migration.Version, migration.Name);
            done.Add(migration.Version);
        }

        return done;
    }

    public async Task<IReadOnlyList<MigrationStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var applied = await ReadAppliedAsync(connection, cancellationToken);
        return [.. All.Select(m => new MigrationStatus(m, applied.GetValueOrDefault(m.Version)))];
    }

    /// <summary>True when every embedded migration is applied (the readiness probe asks this).</summary>
    public static async Task<bool> IsUpToDateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT to_regclass('schema_migrations') IS NOT NULL", cancellationToken: cancellationToken));
        if (!exists)
        {
            return false;
        }

        var latest = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT MAX(version) FROM schema_migrations", cancellationToken: cancellationToken));
        return latest >= LatestVersion;
    }

    private static async Task<IAsyncDisposable> LockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_lock(@Key)", new { Key = AdvisoryLockKey }, cancellationToken: cancellationToken));
        return new Unlock(connection);
    }

    private static async Task<Dictionary<int, AppliedMigration>> ReadAppliedAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(CreateHistorySql, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<AppliedMigration>(new CommandDefinition(SelectAppliedSql, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Version);
    }

    private static void Verify(Dictionary<int, AppliedMigration> applied)
    {
        var known = All.ToDictionary(m => m.Version);
        foreach (var row in applied.Values)
        {
            if (!known.TryGetValue(row.Version, out var migration))
            {
                throw new MigrationException(
                    $"The database has migration {row.Version:000} ({row.Name}), which this build of Faultline does not know. Run a Faultline at least as new as the one that applied it.");
            }

            if (!string.Equals(migration.Checksum, row.Checksum, StringComparison.Ordinal))
            {
                throw new MigrationException(
                    $"Migration {row.Version:000}_{row.Name} was changed after it was applied (checksum {row.Checksum[..12]} in the database, {migration.Checksum[..12]} in this build). Applied migrations must never be edited: add a new migration instead.");
            }
        }
    }

    private static List<Migration> LoadEmbedded()
    {
        const string prefix = "Faultline.Migrations.";
        var assembly = typeof(Migrator).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(n => n[prefix.Length..], n => Read(assembly, n), StringComparer.Ordinal);

        var migrations = new List<Migration>();
        foreach (var up in scripts.Keys.Where(k => k.EndsWith(".up.sql", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var stem = up[..^".up.sql".Length];
            var separator = stem.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(stem[..separator], NumberStyles.None, CultureInfo.InvariantCulture);
            if (!scripts.TryGetValue(stem + ".down.sql", out var down))
            {
                throw new MigrationException($"Migration {stem} has no down script.");
            }

            migrations.Add(new Migration(version, stem[(separator + 1)..], scripts[up], down));
        }

        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new MigrationException($"Migrations must be numbered 1, 2, 3, … without gaps; found {migrations[i].Version:000} at position {i + 1}.");
            }
        }

        return migrations;
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private sealed class Unlock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@Key)", new { Key = AdvisoryLockKey });
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version:000}_{Name}")]
    private static partial void LogApplied(ILogger logger, int version, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reverted migration {Version:000}_{Name}")]
    private static partial void LogReverted(ILogger logger, int version, string name);
}
