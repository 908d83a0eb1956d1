namespace Faultline.Core.StackTraces;

/// <summary>The runtime whose format a raw stack trace was recognised as.</summary>
public enum StackTraceRuntime
{
    Unknown,
    JavaScript,
    DotNet,
    Python,
    Go,
    Ruby,
    Java,
}

/// <summary>
/// A raw stack trace, parsed. <see cref="Frames"/> are oldest first whatever order the runtime printed.
/// For chained exceptions this is one exception of the chain (see <see cref="StackTraceParser"/>).
/// <c>Truncated</c>: the text was longer than the parser reads (see <see cref="StackTraceLimits"/>).
/// </summary>
public sealed record ParsedStackTrace(
    string? ErrorType,
    string? Message,
    IReadOnlyList<StackFrame> Frames,
    StackTraceRuntime Runtime,
    bool Truncated = false)
{
    public static ParsedStackTrace Empty { get; } = new(null, null, [], StackTraceRuntime.Unknown);
}
