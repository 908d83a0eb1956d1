using Npgsql;

namespace Faultline.Server.Database;

internal static class DatabaseExtensions
{
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
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddHostedService<MigrationWorker>();
        return builder;
    }

    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            // The same few statements run all day: prepared once per connection, they skip parsing
            // and planning (half the cost of a page of incidents). A connection string may say otherwise.
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        }

        if (builder.ConnectionStringBuilder.ReadBufferSize == 8192)
        {
            // Npgsql's default (8 KB) reads a page of incidents (~120 KB) in fifteen system calls; 64 KB, in two.
            builder.ConnectionStringBuilder.ReadBufferSize = 64 * 1024;
        }

        // Nothing in Faultline leaves session state on a pooled connection (the migrator's advisory
        // lock is released before the connection goes back): skip resetting it at every return,
        // which would cost a statement in front of every query and drop the prepared statements.
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        return builder.Build();
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
