using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Faultline.Server.Database;

/// <summary>A clear, one-line reason why the embedded PostgreSQL cannot start (no stack trace for users).</summary>
internal sealed class EmbeddedPostgresException(string message) : Exception(message);

/// <summary>
/// A private PostgreSQL cluster run from the binaries installed on the machine: created on first
/// start in <c>&lt;DataDirectory&gt;/postgres</c>, listening only on a Unix socket in
/// <c>&lt;DataDirectory&gt;</c>, stopped when Faultline stops. A lock file held for the process's
/// lifetime tells a second server on the same data directory apart from a cluster left running
/// by a Faultline that was killed (which is adopted). As root, the cluster runs as the
/// <c>postgres</c> system user, because PostgreSQL refuses to run as root.
/// </summary>
internal sealed partial class EmbeddedPostgres : IDisposable
{
    public const string RoleAndDatabase = "faultline";
    private const int Port = 5432;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private readonly ILogger logger;
    private readonly string binDirectory;
    private readonly bool runAsPostgresUser;
    private FileStream? lockFile;

    private EmbeddedPostgres(string dataDirectory, string binDirectory, ILogger logger)
    {
        DataDirectory = dataDirectory;
        ClusterDirectory = Path.Combine(dataDirectory, "postgres");
        this.binDirectory = binDirectory;
        this.logger = logger;
        runAsPostgresUser = Environment.IsPrivilegedProcess;
    }

    public string DataDirectory { get; }

    public string ClusterDirectory { get; }

    /// <summary>True when this instance started (or adopted) the cluster and will stop it.</summary>
    public bool Owned => lockFile is not null;

    public string ConnectionString => BuildConnectionString(DataDirectory);

    public static string BuildConnectionString(string socketDirectory) => new NpgsqlConnectionStringBuilder
    {
        Host = socketDirectory,
        Port = Port,
        Username = RoleAndDatabase,
        Database = RoleAndDatabase,
        MaxPoolSize = 100,
    }.ConnectionString;

    /// <summary>
    /// Starts the cluster (creating it on first use) and holds the data directory's lock.
    /// With <paramref name="attachIfRunning"/>, a cluster already run by another Faultline process on
    /// this data directory is used through its socket instead of refused (the migrate commands do this).
    /// </summary>
    public static EmbeddedPostgres Start(string dataDirectory, ILogger logger, bool attachIfRunning = false, string? binaries = null)
    {
        dataDirectory = Path.GetFullPath(dataDirectory);
        var socketPath = Path.Combine(dataDirectory, $".s.PGSQL.{Port}");
        if (socketPath.Length > 107)
        {
            throw new EmbeddedPostgresException(
                $"The data directory path '{dataDirectory}' is too long for a Unix socket (at most {107 - 14} characters); set Faultline:DataDirectory to a shorter path.");
        }

        var postgres = new EmbeddedPostgres(dataDirectory, FindBinaries(binaries), logger);
        Directory.CreateDirectory(dataDirectory);
        if (!postgres.TryLock())
        {
            if (attachIfRunning && File.Exists(socketPath))
            {
                LogAttached(logger, dataDirectory);
                return postgres;
            }

            throw new EmbeddedPostgresException(
                $"Another Faultline server is already running on the data directory '{dataDirectory}'. Stop it first, or set Faultline:DataDirectory to another folder.");
        }

        try
        {
            postgres.StartLocked();
            return postgres;
        }
        catch
        {
            postgres.ReleaseLock();
            throw;
        }
    }

    public void Stop()
    {
        if (lockFile is null)
        {
            return;
        }

        var result = RunTool("pg_ctl", "stop", "-D", ClusterDirectory, "-m", "fast", "-w", "-t", "60");
        if (result.Succeeded)
        {
            LogStopped(logger, DataDirectory);
        }
        else
        {
            LogStopFailed(logger, result.Output);
        }

        ReleaseLock();
    }

    public void Dispose() => Stop();

    /// <summary>
    /// The directory holding initdb, pg_ctl and postgres: the configured one only, if any; else
    /// PATH first, then Debian's versioned folders, newest first.
    /// </summary>
    internal static string FindBinaries(string? configured = null)
    {
        string[] tools = ["initdb", "pg_ctl", "postgres"];
        var candidates = !string.IsNullOrWhiteSpace(configured)
            ? [configured]
            : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Concat(DebianBinDirectories());
        foreach (var directory in candidates)
        {
            if (tools.All(tool => File.Exists(Path.Combine(directory, tool))))
            {
                return directory;
            }
        }

        throw new EmbeddedPostgresException(
            $"PostgreSQL was not found (initdb, pg_ctl and postgres {(string.IsNullOrWhiteSpace(configured) ? "on PATH or under /usr/lib/postgresql/*/bin" : "in " + configured)}): install PostgreSQL 15 or newer (Debian: apt-get install postgresql), or set ConnectionStrings:Faultline to use an existing server.");
    }

    private static IEnumerable<string> DebianBinDirectories()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return [];
        }

        return Directory.GetDirectories(root)
            .Select(d => (Directory: Path.Combine(d, "bin"), Version: decimal.TryParse(Path.GetFileName(d), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : 0))
            .OrderByDescending(d => d.Version)
            .Select(d => d.Directory);
    }

    private bool TryLock()
    {
        try
        {
            // FileShare.None takes an exclusive flock on Unix; the kernel releases it when this
            // process dies, however it dies, which is what tells a stale cluster from a live server.
            lockFile = new FileStream(Path.Combine(DataDirectory, "faultline.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            lockFile.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            lockFile.Write(pid);
            lockFile.Flush();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void ReleaseLock()
    {
        lockFile?.Dispose();
        lockFile = null;
    }

    private void StartLocked()
    {
        if (runAsPostgresUser)
        {
            PrepareForPostgresUser();
        }

        if (!File.Exists(Path.Combine(ClusterDirectory, "PG_VERSION")))
        {
            CreateCluster();
        }

        WriteSettings();

        var status = RunTool("pg_ctl", "status", "-D", ClusterDirectory);
        if (status.Succeeded)
        {
            // We hold the lock, so no Faultline process owns this cluster: one was killed and left it running.
            LogAdopted(logger, DataDirectory);
        }
        else
        {
            var pidFile = Path.Combine(ClusterDirectory, "postmaster.pid");
            if (File.Exists(pidFile))
            {
                // pg_ctl found no live postmaster for it: the cluster crashed; PostgreSQL recovers from its WAL.
                LogStalePid(logger, DataDirectory);
                File.Delete(pidFile);
            }

            var start = RunTool("pg_ctl", "start", "-D", ClusterDirectory, "-w", "-t", "60", "-s",
                "-l", Path.Combine(DataDirectory, "postgres.log"));
            if (!start.Succeeded)
            {
                throw new EmbeddedPostgresException(
                    $"The embedded PostgreSQL did not start: {FirstLine(start.Output)} (see {Path.Combine(DataDirectory, "postgres.log")}).");
            }

            LogStarted(logger, DataDirectory);
        }

        EnsureDatabase();
    }

    private void CreateCluster()
    {
        if (Directory.Exists(ClusterDirectory))
        {
            // A half-made cluster from an interrupted initdb: nothing in it is worth keeping.
            Directory.Delete(ClusterDirectory, recursive: true);
        }

        LogCreating(logger, ClusterDirectory);
        var result = RunTool("initdb", "-D", ClusterDirectory, "-U", RoleAndDatabase, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-instructions");
        if (!result.Succeeded)
        {
            throw new EmbeddedPostgresException($"initdb failed: {FirstLine(result.Output)}");
        }

        File.AppendAllText(Path.Combine(ClusterDirectory, "postgresql.conf"), "\ninclude_if_exists = 'faultline.conf'\n");
    }

    /// <summary>Rewritten at every start, so a moved data directory still gets its socket in the right place.</summary>
    private void WriteSettings()
    {
        var settings = $"""
            # Written by Faultline at every start; edit postgresql.conf for your own settings.
            listen_addresses = ''
            port = {Port}
            unix_socket_directories = '{DataDirectory.Replace("'", "''", StringComparison.Ordinal)}'
            unix_socket_permissions = 0700
            max_connections = 200
            TimeZone = 'UTC'

            """;
        var path = Path.Combine(ClusterDirectory, "faultline.conf");
        File.WriteAllText(path, settings);
        if (runAsPostgresUser)
        {
            ChangeOwner(path);
        }
    }

    private void EnsureDatabase()
    {
        var builder = new NpgsqlConnectionStringBuilder(BuildConnectionString(DataDirectory)) { Database = "postgres", Pooling = false };
        using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = RoleAndDatabase });
        if (exists.ExecuteScalar() is null)
        {
            using var create = new NpgsqlCommand($"CREATE DATABASE {RoleAndDatabase} ENCODING 'UTF8' TEMPLATE template0", connection);
            create.ExecuteNonQuery();
        }
    }

    /// <summary>As root: the postgres user must exist, own the data directory and reach it.</summary>
    private void PrepareForPostgresUser()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (!ProcessRunner.Run("id", ["-u", "postgres"], "/", CommandTimeout).Succeeded)
        {
            LogCreatingUser(logger);
            var created = ProcessRunner.Run("useradd", ["--system", "--user-group", "--home-dir", "/var/lib/postgresql", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"], "/", CommandTimeout);
            if (!created.Succeeded)
            {
                throw new EmbeddedPostgresException($"Running as root, and the 'postgres' system user is missing and could not be created: {FirstLine(created.Output)}");
            }
        }

        ChangeOwner(DataDirectory);
        File.SetUnixFileMode(DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // PostgreSQL must be able to walk down to the data directory; add only the search bit where it is missing.
        for (var directory = Path.GetDirectoryName(DataDirectory); !string.IsNullOrEmpty(directory); directory = Path.GetDirectoryName(directory))
        {
            var mode = File.GetUnixFileMode(directory);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
            {
                File.SetUnixFileMode(directory, mode | UnixFileMode.OtherExecute);
                LogTraverse(logger, directory);
            }
        }
    }

    private static void ChangeOwner(string path)
    {
        var result = ProcessRunner.Run("chown", ["postgres:", path], "/", CommandTimeout);
        if (!result.Succeeded)
        {
            throw new EmbeddedPostgresException($"Could not give '{path}' to the postgres user: {FirstLine(result.Output)}");
        }
    }

    private ProcessResult RunTool(string tool, params string[] arguments)
    {
        var path = Path.Combine(binDirectory, tool);
        return runAsPostgresUser
            ? ProcessRunner.Run("runuser", ["-u", "postgres", "--", path, .. arguments], DataDirectory, CommandTimeout)
            : ProcessRunner.Run(path, arguments, DataDirectory, CommandTimeout);
    }

    private static string FirstLine(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.FirstOrDefault(l => ErrorLine().IsMatch(l)) ?? lines.FirstOrDefault() ?? "no output";
    }

    [GeneratedRegex("error|fatal|could not|cannot", RegexOptions.IgnoreCase)]
    private static partial Regex ErrorLine();

    [LoggerMessage(Level = LogLevel.Information, Message = "Creating the embedded PostgreSQL cluster in {Directory}")]
    private static partial void LogCreating(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started the embedded PostgreSQL in {Directory}")]
    private static partial void LogStarted(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The embedded PostgreSQL in {Directory} was left running by a Faultline that did not stop cleanly; using it")]
    private static partial void LogAdopted(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The embedded PostgreSQL in {Directory} did not shut down cleanly; removed its stale postmaster.pid, it recovers on start")]
    private static partial void LogStalePid(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Using the embedded PostgreSQL of the Faultline server already running on {Directory}")]
    private static partial void LogAttached(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped the embedded PostgreSQL in {Directory}")]
    private static partial void LogStopped(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "The embedded PostgreSQL did not stop cleanly: {Output}")]
    private static partial void LogStopFailed(ILogger logger, string output);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Running as root: creating the 'postgres' system user to run the embedded PostgreSQL")]
    private static partial void LogCreatingUser(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Running as root: allowed the postgres user to traverse {Directory} (search permission only) to reach the data directory")]
    private static partial void LogTraverse(ILogger logger, string directory);
}
