namespace Faultline.Core.StackTraces;

/// <summary>
/// What an SDK told us about where an error happened. <c>Frames</c> are structured frames, oldest first
/// (Sentry order), with <c>File</c> = <c>abs_path</c> when the SDK gave one, else <c>filename</c>; when
/// non-empty they are used instead of <c>StackTrace</c>. <c>ExplicitFilePath</c>, <c>ExplicitLine</c> and
/// <c>ExplicitColumn</c> are the SDK's explicit location, which wins over any frame.
/// </summary>
public sealed record LocateRequest(
    string? ErrorType,
    string? ErrorMessage,
    string? StackTrace,
    IReadOnlyList<StackFrame>? Frames,
    string? ExplicitFilePath,
    int? ExplicitLine,
    int? ExplicitColumn,
    IReadOnlyList<CodeMapping> CodeMappings);

/// <summary>
/// Where an incident points in the repository, and what was used to decide it.
/// <para><c>FilePath</c> is repository-relative (the most recent in-app frame, or the explicit path),
/// never absolute, and <c>null</c> when unknown (the <c>Notes</c> say why). <c>ErrorType</c> and
/// <c>ErrorMessage</c> come from the request, else from the raw trace's header line. <c>Frames</c> are the
/// frames used, oldest first, with <c>File</c> made repository-relative where possible (kept as given where
/// not) and <c>InApp</c> decided. <c>Notes</c> are machine-readable (see <see cref="LocationNotes"/>),
/// sorted and without duplicates.</para>
/// </summary>
public sealed record IncidentLocation(
    string? FilePath,
    int? LineNumber,
    int? ColumnNumber,
    string? ErrorType,
    string? ErrorMessage,
    IReadOnlyList<StackFrame> Frames,
    IReadOnlyList<string> Notes);
