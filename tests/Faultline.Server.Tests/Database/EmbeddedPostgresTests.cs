using System.Diagnostics;
using Faultline.Server.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Faultline.Server.Tests.Database;

/// <summary>The launcher the server uses when no connection string is set, on clusters of its own.</summary>
public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "flemb-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task Start_CreatesClusterOnSocketOnly_AndRestartReusesIt()
    {
        using (var first = EmbeddedPostgres.Start(directory, NullLogger.Instance))
        {
            Assert.True(first.Owned);
            Assert.True(File.Exists(Path.Combine(directory, "postgres", "PG_VERSION")));
            Assert.True(File.Exists(Path.Combine(directory, ".s.PGSQL.5432")));
            await ExecuteAsync(first.ConnectionString, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)");
            Assert.Equal(string.Empty, await ScalarAsync(first.ConnectionString, "SHOW listen_addresses"));
            Assert.Equal("UTF8", await ScalarAsync(first.ConnectionString, "SHOW server_encoding"));
        }

        Assert.False(File.Exists(Path.Combine(directory, ".s.PGSQL.5432")));
        Assert.Empty(PostmastersOn(directory));
        NpgsqlConnection.ClearAllPools();

        using var second = EmbeddedPostgres.Start(directory, NullLogger.Instance);
        Assert.Equal("42", await ScalarAsync(second.ConnectionString, "SELECT id FROM kept"));
    }

    [Fact]
    public void Start_WhenAnotherServerRunsOnTheDirectory_RefusesWithClearMessage()
    {
        using var first = EmbeddedPostgres.Start(directory, NullLogger.Instance);

        var error = Assert.Throws<EmbeddedPostgresException>(() => EmbeddedPostgres.Start(directory, NullLogger.Instance));
        Assert.Contains("Another Faultline server is already running", error.Message, StringComparison.Ordinal);

        // The migrate commands use the running one instead, without taking it over.
        using var attached = EmbeddedPostgres.Start(directory, NullLogger.Instance, attachIfRunning: true);
        Assert.False(attached.Owned);
    }

    [Fact]
    public async Task Start_AfterPostgresWasKilled_RecoversFromStalePidFile()
    {
        using (var first = EmbeddedPostgres.Start(directory, NullLogger.Instance))
        {
            await ExecuteAsync(first.ConnectionString, "CREATE TABLE survived (id int); INSERT INTO survived VALUES (7)");
            NpgsqlConnection.ClearAllPools();
            foreach (var pid in PostmastersOn(directory))
            {
                Process.GetProcessById(pid).Kill();
            }

            await WaitUntilAsync(() => PostmastersOn(directory).Count == 0);
            Assert.True(File.Exists(Path.Combine(directory, "postgres", "postmaster.pid")));
        }

        using var second = EmbeddedPostgres.Start(directory, NullLogger.Instance);
        Assert.Equal("7", await ScalarAsync(second.ConnectionString, "SELECT id FROM survived"));
    }

    [Fact]
    public async Task Start_WhenClusterWasLeftRunningByKilledServer_AdoptsIt()
    {
        var first = EmbeddedPostgres.Start(directory, NullLogger.Instance);
        var postmaster = Assert.Single(PostmastersOn(directory));

        // Simulate the Faultline process dying: its lock goes away, PostgreSQL keeps running.
        typeof(EmbeddedPostgres).GetMethod("ReleaseLock", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.Invoke(first, null);

        using var second = EmbeddedPostgres.Start(directory, NullLogger.Instance);
        Assert.True(second.Owned);
        Assert.Equal([postmaster], PostmastersOn(directory));
        Assert.Equal("1", await ScalarAsync(second.ConnectionString, "SELECT 1"));
    }

    [Fact]
    public void Start_WithSocketPathTooLong_SaysWhatToDo()
    {
        var error = Assert.Throws<EmbeddedPostgresException>(() => EmbeddedPostgres.Start(Path.Combine(directory, new string('d', 120)), NullLogger.Instance));
        Assert.Contains("Faultline:DataDirectory", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var pid in PostmastersOn(directory))
        {
            Process.GetProcessById(pid).Kill();
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The PIDs of postmasters whose command line names this data directory.</summary>
    internal static List<int> PostmastersOn(string dataDirectory)
    {
        var pids = new List<int>();
        foreach (var entry in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(entry, "cmdline")).Split('\0');
                if (commandLine.Length > 2 && commandLine[0].EndsWith("/postgres", StringComparison.Ordinal)
                    && commandLine.Contains(Path.Combine(dataDirectory, "postgres")))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return pids;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition());
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }
}
