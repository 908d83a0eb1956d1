namespace Faultline.Server.Database;

/// <summary><c>Faultline:Database</c> settings.</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Faultline:Database";

    /// <summary>Apply pending migrations at start, under the advisory lock.</summary>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>How long start-up keeps retrying an unreachable database before giving up.</summary>
    public TimeSpan StartupRetryLimit { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The embedded database's binaries (initdb, pg_ctl, postgres); empty: PATH, then /usr/lib/postgresql/*/bin.</summary>
    public string? PostgresBinaries { get; set; }
}

/// <summary>Where the database is: the configured connection string, or the embedded cluster's socket.</summary>
internal static class DatabaseLocation
{
    public const string ConnectionStringName = "Faultline";

    public static string? PostgresBinaries(IConfiguration configuration) => configuration[DatabaseOptions.Section + ":PostgresBinaries"];

    public static string DataDirectory(IConfiguration configuration)
    {
        var configured = configuration["Faultline:DataDirectory"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrWhiteSpace(dataHome))
        {
            dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(dataHome, "faultline");
    }
}
