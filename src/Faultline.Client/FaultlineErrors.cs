using Faultline.Contracts;

namespace Faultline.Client;

/// <summary>The server answered with an error status; <see cref="Problem"/> is its RFC 9457 body (or one made from the status).</summary>
internal sealed class FaultlineApiException(int status, Problem problem)
    : Exception(problem.Detail ?? problem.Title ?? $"The server answered {status}.")
{
    public int Status { get; } = status;

    public Problem Problem { get; } = problem;
}

/// <summary>No answer from the server: refused, unresolvable, timed out. <see cref="Server"/> is the URL tried.</summary>
internal sealed class ServerUnreachableException(Uri server, string reason, Exception? inner = null)
    : Exception($"Cannot reach the Faultline server at {ServerAddress.Format(server)}: {reason}", inner)
{
    public Uri Server { get; } = server;

    /// <summary>Why, in a few words: "connection refused", "unknown host", "no answer within 60 s".</summary>
    public string Reason { get; } = reason;
}

/// <summary>No usable credentials for <see cref="Server"/>: never signed in, signed in elsewhere, or the session ended.</summary>
internal sealed class NotSignedInException(Uri server, string? reason = null)
    : Exception($"Not signed in to {ServerAddress.Format(server)}{(reason is null ? "" : $" ({reason})")}. Run `faultline login`.")
{
    public Uri Server { get; } = server;
}
