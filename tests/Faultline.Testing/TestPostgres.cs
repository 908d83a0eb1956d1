using Faultline.Server.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace Faultline.Testing;

/// <summary>
/// One PostgreSQL for the whole test run: the server's own embedded launcher in a temporary
/// directory, or the server named by <c>FAULTLINE_TEST_DATABASE</c>. Tests get a migrated shared
/// database (isolated by data: each test makes its own users and projects) or a fresh empty one.
/// </summary>
public sealed class TestPostgres : IAsyncLifetime
{
    private readonly string? temporaryDirectory;
    private EmbeddedPostgres? embedded;
    private string adminConnectionString = string.Empty;
    private string? migrated;

    public TestPostgres()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("FAULTLINE_TEST_DATABASE")))
        {
            // Short, because a Unix socket path is limited to ~107 bytes.
            temporaryDirectory = Path.Combine(Path.GetTempPath(), "fltest-" + Guid.NewGuid().ToString("N")[..10]);
        }
    }

    /// <summary>The embedded launcher's data directory (null with FAULTLINE_TEST_DATABASE).</summary>
    public string? DataDirectory => temporaryDirectory;

    /// <summary>A database migrated to the latest version, shared by the tests of this run.</summary>
    public string ConnectionString => migrated ?? throw new InvalidOperationException("TestPostgres is not initialized.");

    public async ValueTask InitializeAsync()
    {
        if (temporaryDirectory is not null)
        {
            embedded = await Task.Run(() => EmbeddedPostgres.Start(temporaryDirectory, NullLogger.Instance));
            adminConnectionString = embedded.ConnectionString;
        }
        else
        {
            adminConnectionString = Environment.GetEnvironmentVariable("FAULTLINE_TEST_DATABASE")!;
        }

        migrated = await CreateDatabaseAsync("shared");
        await using var dataSource = NpgsqlDataSource.Create(migrated);
        await new Migrator(dataSource, NullLogger<Migrator>.Instance).UpAsync(CancellationToken.None);
    }

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string hint)
    {
        var name = $"t_{hint}_{Guid.NewGuid():N}".ToLowerInvariant();
        name = name[..Math.Min(name.Length, 63)];
        await using (var connection = new NpgsqlConnection(adminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (embedded is not null)
        {
            await Task.Run(embedded.Stop);
        }

        if (temporaryDirectory is not null && Directory.Exists(temporaryDirectory))
        {
            try
            {
                Directory.Delete(temporaryDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp directory left behind is harmless.
            }
        }
    }
}
