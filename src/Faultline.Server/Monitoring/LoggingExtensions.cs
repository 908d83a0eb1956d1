using System.Text.Encodings.Web;
using System.Text.Json;

namespace Faultline.Server.Monitoring;

/// <summary>
/// Console logs: one JSON object per line outside Development (UTC timestamps, scopes included,
/// so each request's lines carry its TraceId, the <c>trace_id</c> of its ProblemDetails), and
/// single-line text in Development.
/// </summary>
internal static class LoggingExtensions
{
    public static ILoggingBuilder AddFaultlineConsole(this ILoggingBuilder logging, bool development) =>
        development
            ? logging.AddSimpleConsole(console => console.SingleLine = true)
            : logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                json.IncludeScopes = true;
                // Log lines are not HTML: keep ' + < > & readable instead of \u0027 escapes.
                json.JsonWriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });

    /// <summary>
    /// The environment before the host exists (the start-up logger): what WebApplication reads,
    /// ASPNETCORE_ENVIRONMENT over DOTNET_ENVIRONMENT, Production when neither is set.
    /// </summary>
    public static bool IsDevelopmentBeforeHost() =>
        string.Equals(
            Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT"),
            Environments.Development, StringComparison.OrdinalIgnoreCase);
}
