namespace Faultline.Server.Ingest;

internal static class IngestServiceCollectionExtensions
{
    public static IServiceCollection AddIngest(this IServiceCollection services)
    {
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IngestKeys>();
        services.AddSingleton<IncidentWriter>();
        services.AddSingleton<IngestRateLimiter>();
        services.AddSingleton<IngestPipeline>();
        services.AddIngestCors();
        return services;
    }
}
