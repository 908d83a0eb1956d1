using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;

namespace Faultline.Server.Errors;

/// <summary>
/// Every error is RFC 9457 problem+json carrying the request's trace id. Bad requests keep their
/// 4xx; an unreachable database is a 503 with Retry-After; anything else is a 500 whose detail
/// never carries exception text (the log has it under the same trace id).
/// </summary>
internal static partial class ProblemDetailsExtensions
{
    public const int RetryAfterSeconds = 1;

    public static IServiceCollection AddFaultlineProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var traceId = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            context.ProblemDetails.Extensions["trace_id"] = traceId;
            context.ProblemDetails.Extensions.Remove("traceId");
            if (context.ProblemDetails.Status == StatusCodes.Status503ServiceUnavailable)
            {
                context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        });
        return services;
    }

    public static WebApplication UseFaultlineErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = StatusFor,
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException or OperationCanceledException,
        });
        app.UseStatusCodePages();
        return app;
    }

    internal static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        _ when IsDatabaseUnavailable(exception) => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>True for failures that mean "the database is down or overloaded", not "this request is wrong".</summary>
    public static bool IsDatabaseUnavailable(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
            || postgres.SqlState.StartsWith("53", StringComparison.Ordinal)  // insufficient resources
            || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) // admin/crash shutdown, cannot connect now
            || postgres.SqlState == "40001" || postgres.SqlState == "40P01",  // serialization failure, deadlock
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        TimeoutException => true,
        _ => exception.InnerException is { } inner && IsDatabaseUnavailable(inner),
    };
}
