namespace Faultline.Core.StackTraces;

/// <summary>
/// Bounds on the work the pure stack-trace functions do, so any input (10 MB of garbage, 100,000 frames)
/// costs a bounded, small amount of time and memory.
/// </summary>
public static class StackTraceLimits
{
    /// <summary>Characters of a raw trace that are read; the rest is ignored.</summary>
    public const int MaxTraceChars = 1_000_000;

    /// <summary>Lines of a raw trace that are read; the rest is ignored.</summary>
    public const int MaxTraceLines = 5_000;

    /// <summary>Characters of one line that are looked at; longer lines are cut.</summary>
    public const int MaxLineChars = 2_000;

    /// <summary>Frames kept: the oldest <see cref="KeptOldestFrames"/> and the newest rest, the middle dropped.</summary>
    public const int MaxFrames = 256;

    /// <summary>How many of the oldest frames survive trimming (the newest ones matter more).</summary>
    public const int KeptOldestFrames = 32;

    /// <summary>Characters of a path that are looked at; longer paths are not mapped.</summary>
    public const int MaxPathChars = 1_024;
}
