using Npgsql;

namespace Faultline.Server.Database;

internal static class DatabaseExtensions
{
    /// <summary>The key of ingest's own data source (see <see cref="CreateDataSource"/>).</summary>
    public const string IngestDataSource = "ingest";

    /// <summary>
    /// Registers the one <see cref="NpgsqlDataSource"/>, starting the embedded PostgreSQL first when
    /// no connection string is configured, and the start-up migration.
    /// </summary>
    public static WebApplicationBuilder AddFaultlineDatabase(this WebApplicationBuilder builder, ILogger startupLogger)
    {
        var connectionString = builder.Configuration.GetConnectionString(DatabaseLocation.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var embedded = EmbeddedPostgres.Start(
                DatabaseLocation.DataDirectory(builder.Configuration), startupLogger, binaries: DatabaseLocation.PostgresBinaries(builder.Configuration));
            builder.Services.AddSingleton(embedded);
            // Registered before everything else so that, stopping in reverse order, it stops last.
            builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, EmbeddedPostgresLifetime>());
            connectionString = embedded.ConnectionString;
        }

        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section);
        builder.Services.AddSingleton(_ => CreateDataSource(connectionString));
        builder.Services.AddKeyedSingleton(IngestDataSource, (_, _) => CreateDataSource(connectionString, genericPlans: true));
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddHostedService<MigrationWorker>();
        return builder;
    }

    /// <summary>
    /// Npgsql with Faultline's defaults, each kept only when the connection string does not set it
    /// (behind a pooler without prepared statements, say <c>Max Auto Prepare=0</c>):
    /// the same few statements run all day, so they are prepared once per connection and skip
    /// parsing and planning (half the database's cost of a page of incidents); a page (~120 KB) is
    /// read in 64 KB steps rather than 8 KB ones; and a connection going back to the pool is not
    /// reset, since nothing in Faultline leaves session state on one (the migrator releases its
    /// advisory lock first), which would cost a statement before every query and drop the prepared ones.
    /// With <paramref name="genericPlans"/> (ingest's pool), prepared statements are planned once: ingest's
    /// few statements find rows by unique keys, so no parameter value changes their best plan, yet
    /// PostgreSQL planned the key look-up again for every batch (its estimate for <c>= ANY($1)</c>
    /// with an unknown array made the generic plan look dearer), at several times the cost of running it.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString, bool genericPlans = false)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        if (!Sets(connectionString, "Max Auto Prepare"))
        {
            settings.MaxAutoPrepare = 64;
        }

        if (!Sets(connectionString, "Read Buffer Size"))
        {
            settings.ReadBufferSize = 64 * 1024;
        }

        if (!Sets(connectionString, "No Reset On Close"))
        {
            settings.NoResetOnClose = true;
        }

        if (genericPlans)
        {
            const string forceGenericPlans = "SET plan_cache_mode = force_generic_plan";
            builder.UsePhysicalConnectionInitializer(
                connection =>
                {
                    using var command = new NpgsqlCommand(forceGenericPlans, connection);
                    command.ExecuteNonQuery();
                },
                async connection =>
                {
                    await using var command = new NpgsqlCommand(forceGenericPlans, connection);
                    await command.ExecuteNonQueryAsync();
                });
        }

        return builder.Build();
    }

    /// <summary>Whether the connection string names the keyword, with or without its spaces.</summary>
    private static bool Sets(string connectionString, string keyword)
    {
        var parsed = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return parsed.Keys.Cast<string>().Any(key =>
            string.Equals(key.Replace(" ", "", StringComparison.Ordinal), keyword.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>Stops the embedded PostgreSQL when the host stops (Ctrl-C, SIGTERM).</summary>
internal sealed class EmbeddedPostgresLifetime(EmbeddedPostgres postgres) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        postgres.Stop();
        return Task.CompletedTask;
    }
}
