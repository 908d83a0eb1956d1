using Microsoft.Extensions.Logging;

namespace Faultline.LanguageServer;

/// <summary>The language server's log messages. They go to stderr: stdout carries the protocol.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Workspace folder {Folder} is {Repository} at {Head}")]
    public static partial void RepositoryOpened(ILogger logger, string folder, string repository, string? head);

    [LoggerMessage(2, LogLevel.Information, "Workspace folder {Folder} is skipped: {Reason}")]
    public static partial void FolderSkipped(ILogger logger, string folder, string reason);

    [LoggerMessage(3, LogLevel.Debug, "{Repository}: {Count} open incident groups")]
    public static partial void GroupsFetched(ILogger logger, string repository, int count);

    [LoggerMessage(4, LogLevel.Debug, "{Repository}: incident groups not modified")]
    public static partial void GroupsNotModified(ILogger logger, string repository);

    [LoggerMessage(5, LogLevel.Warning, "{Repository}: refresh failed ({Problem}: {Detail}); retrying in {Delay}")]
    public static partial void RefreshFailed(ILogger logger, string repository, string problem, string? detail, TimeSpan delay);

    [LoggerMessage(6, LogLevel.Information, "{Repository}: HEAD moved to {Head}")]
    public static partial void HeadChanged(ILogger logger, string repository, string? head);

    [LoggerMessage(8, LogLevel.Error, "Unexpected error in {Operation}")]
    public static partial void UnexpectedError(ILogger logger, string operation, Exception exception);

    [LoggerMessage(9, LogLevel.Debug, "{Repository}: published diagnostics for {Files} files in {Elapsed} ms")]
    public static partial void Published(ILogger logger, string repository, int files, double elapsed);

    [LoggerMessage(10, LogLevel.Information, "Resolved {Fingerprint} in {Repository}")]
    public static partial void Resolved(ILogger logger, string fingerprint, string repository);
}
