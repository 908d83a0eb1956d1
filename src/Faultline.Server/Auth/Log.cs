namespace Faultline.Server.Auth;

/// <summary>Sign-in and token log messages. Never a token, code or key: only the kind and the reason.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Rejected {Kind} from {RemoteAddress}: {Reason}")]
    public static partial void Rejected(ILogger logger, string kind, string? remoteAddress, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "A rotated refresh token was presented again: session {SessionId} revoked (possible token theft)")]
    public static partial void RefreshTokenReused(ILogger logger, Guid sessionId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "GitHub sign-in failed: {Reason}")]
    public static partial void SignInFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "User {Login} (GitHub id {GithubId}) signed in through {Kind}")]
    public static partial void SignedIn(ILogger logger, string login, long githubId, string kind);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "GitHub could not be reached for {Operation}")]
    public static partial void GitHubUnavailable(ILogger logger, string operation, Exception exception);
}
