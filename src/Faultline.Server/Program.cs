using System.Text.Json;
using Faultline.Contracts;
using Faultline.Server.Auth;
using Faultline.Server.Dashboard;
using Faultline.Server.Database;
using Faultline.Server.Errors;
using Faultline.Server.Health;
using Faultline.Server.Incidents;
using Faultline.Server.Ingest;
using Faultline.Server.Monitoring;
using Faultline.Server.Projects;

using var startupLoggers = LoggerFactory.Create(logging => logging.AddFaultlineConsole(LoggingExtensions.IsDevelopmentBeforeHost()));
var startupLogger = startupLoggers.CreateLogger("Faultline");

try
{
    if (args is ["migrate", ..])
    {
        var verbLength = MigrateCommand.VerbLength(args);
        var settings = WebApplication.CreateBuilder(args[verbLength..]);
        return await MigrateCommand.RunAsync(args[..verbLength], settings.Configuration, startupLoggers, Console.Out);
    }

    var builder = WebApplication.CreateBuilder(args);
    builder.Logging.AddFaultlineConsole(builder.Environment.IsDevelopment());
    builder.AddFaultlineDatabase(startupLogger);
    builder.Services.AddSingleton(TimeProvider.System);
    builder.AddFaultlineMonitoring();
    builder.Services.AddFaultlineProblemDetails();
    builder.Services.AddIngest();
    builder.AddFaultlineAuth();
    builder.AddProjects();
    builder.Services.AddIncidents();
    builder.Services.AddDashboard();
    builder.Services.ConfigureHttpJsonOptions(json =>
    {
        json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.SerializerOptions.TypeInfoResolverChain.Insert(0, FaultlineJsonContext.Default);
    });

    await using var app = builder.Build();
    app.UseFaultlineErrors();
    app.UseCors();
    app.UseFaultlineAuth();
    app.MapHealth();
    app.MapMetrics();
    app.MapIngest();
    app.MapSentry();
    app.MapFaultlineAuth();
    app.MapProjects();
    app.MapIncidents();
    app.MapDashboard();

    await app.RunAsync();
    return 0;
}
catch (Exception exception) when (exception is EmbeddedPostgresException or MigrationException or LocalModeException)
{
    await Console.Error.WriteLineAsync($"faultline-server: {exception.Message}");
    return 1;
}

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
