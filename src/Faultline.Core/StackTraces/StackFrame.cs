namespace Faultline.Core.StackTraces;

/// <summary>
/// One stack frame. <see cref="File"/> is the path as the runtime or SDK gave it (for Sentry frames
/// <c>abs_path</c> when present, else <c>filename</c>); <see cref="InApp"/> is <c>null</c> when unknown.
/// </summary>
public sealed record StackFrame(
    string? File, int? Line, int? Column, string? Function, bool? InApp = null, string? Module = null);

/// <summary>
/// A project's code mapping (API.md, "Projects"): a frame path starting with <see cref="StackRoot"/>
/// has that prefix replaced by <see cref="SourceRoot"/>. The most specific (longest) stack root wins.
/// </summary>
public sealed record CodeMapping(string StackRoot, string SourceRoot);
