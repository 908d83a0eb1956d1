namespace Faultline.Server.Monitoring;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Reading {Gauge} from the database took longer than {Timeout}: it is left out of this scrape.")]
    public static partial void GaugeTimedOut(ILogger logger, string gauge, TimeSpan timeout);

    [LoggerMessage(2, LogLevel.Warning, "Reading {Gauge} from the database failed: it is left out of this scrape.")]
    public static partial void GaugeFailed(ILogger logger, string gauge, Exception exception);
}
