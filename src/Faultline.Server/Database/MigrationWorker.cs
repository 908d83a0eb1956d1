using Microsoft.Extensions.Options;
using Npgsql;

namespace Faultline.Server.Database;

/// <summary>
/// Applies pending migrations before the server accepts requests, unless
/// <c>Faultline:Database:AutoMigrate</c> is false. An unreachable database is retried for a while
/// (a server may start before its database); a changed migration stops the start.
/// </summary>
internal sealed partial class MigrationWorker(
    Migrator migrator, IOptions<DatabaseOptions> options, TimeProvider time, ILogger<MigrationWorker> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.AutoMigrate)
        {
            return;
        }

        var deadline = time.GetUtcNow() + options.Value.StartupRetryLimit;
        while (true)
        {
            try
            {
                await migrator.UpAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException exception) when (exception.IsTransient && time.GetUtcNow() < deadline)
            {
                LogRetrying(logger, exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database is not reachable yet ({Reason}); retrying the migrations")]
    private static partial void LogRetrying(ILogger logger, string reason);
}
