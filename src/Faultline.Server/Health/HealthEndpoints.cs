using Faultline.Server.Database;
using Npgsql;

namespace Faultline.Server.Health;

internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok"))).ExcludeFromDescription();
        app.MapGet("/readyz", ReadyAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ReadyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        string detail;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(timeout.Token);
            if (await Migrator.IsUpToDateAsync(connection, timeout.Token))
            {
                return TypedResults.Ok(new HealthStatus("ready"));
            }

            detail = "The database schema is not up to date: run `migrate up`, or let the server migrate at start.";
        }
        catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            detail = "The database is not reachable.";
        }

        return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready");
    }

    private sealed record HealthStatus(string Status);
}
