using System.Globalization;
using Npgsql;

namespace Faultline.Server.Database;

/// <summary>
/// <c>faultline-server migrate up | down --to N | status</c>: the same binary and settings as the
/// server. With the embedded database it starts the cluster, or uses the running server's.
/// </summary>
internal static class MigrateCommand
{
    public const string Usage = "usage: faultline-server migrate up | down --to N | status";

    /// <summary>How many of the arguments are the command itself; the rest are settings (<c>--Key=value</c>).</summary>
    public static int VerbLength(string[] args) => Math.Min(args.Length, args is [_, "down", "--to", ..] ? 4 : 2);

    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, ILoggerFactory loggers, TextWriter output)
    {
        if (!TryParse(args, out var verb, out var target))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var connectionString = configuration.GetConnectionString(DatabaseLocation.ConnectionStringName);
        using var embedded = string.IsNullOrWhiteSpace(connectionString)
            ? EmbeddedPostgres.Start(DatabaseLocation.DataDirectory(configuration), loggers.CreateLogger("Faultline.EmbeddedPostgres"), attachIfRunning: true, DatabaseLocation.PostgresBinaries(configuration))
            : null;
        await using var dataSource = DatabaseExtensions.CreateDataSource(connectionString is { Length: > 0 } ? connectionString : embedded!.ConnectionString);
        var migrator = new Migrator(dataSource, loggers.CreateLogger<Migrator>());

        try
        {
            switch (verb)
            {
                case "up":
                    var applied = await migrator.UpAsync(CancellationToken.None);
                    await output.WriteLineAsync(applied.Count == 0 ? "Already up to date." : $"Applied {applied.Count} migration(s).");
                    break;
                case "down":
                    var reverted = await migrator.DownAsync(target, CancellationToken.None);
                    await output.WriteLineAsync($"Reverted {reverted.Count} migration(s); now at {target:000}.");
                    break;
                default:
                    foreach (var status in await migrator.StatusAsync(CancellationToken.None))
                    {
                        var state = status.Applied is { } applied2
                            ? "applied " + applied2.AppliedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                            : "pending";
                        await output.WriteLineAsync($"{status.Migration.Version:000}_{status.Migration.Name,-48} {state}");
                    }

                    break;
            }

            return 0;
        }
        catch (NpgsqlException exception)
        {
            await Console.Error.WriteLineAsync($"The database is not reachable: {exception.Message}");
            return 1;
        }
    }

    private static bool TryParse(string[] args, out string verb, out int target)
    {
        verb = args.Length > 1 ? args[1] : string.Empty;
        target = 0;
        return verb switch
        {
            "up" or "status" => args.Length == 2,
            "down" => args.Length == 4 && args[2] == "--to"
                && int.TryParse(args[3], NumberStyles.None, CultureInfo.InvariantCulture, out target),
            _ => false,
        };
    }
}
