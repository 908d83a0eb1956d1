namespace Faultline.Core.StackTraces;

/// <summary>
/// Decides an incident's repository location from what the SDK sent.
/// <list type="number">
/// <item>Frames: the structured frames when there are any, else the raw trace parsed by
/// <see cref="StackTraceParser"/>; more than <see cref="StackTraceLimits.MaxFrames"/> are trimmed from the middle.</item>
/// <item>Each frame's <c>InApp</c>: the SDK's value when given, else <see cref="InAppClassifier"/>; its file is made
/// repository-relative with <see cref="RepositoryPaths"/> (kept as given when that is not possible).</item>
/// <item>Location: the SDK's explicit <c>file_path</c> when given (mapped too when absolute), else the most recent
/// in-app frame that has a file. An explicit line or column wins over the frame's.</item>
/// </list>
/// Never throws; any input costs bounded work.
/// </summary>
public static class IncidentLocator
{
    public static IncidentLocation Locate(LocateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return LocateCore(request);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A bug here must not fail the ingest: keep what the SDK said explicitly.
            return new IncidentLocation(
                null, request.ExplicitLine, request.ExplicitColumn, request.ErrorType, request.ErrorMessage, [],
                [LocationNotes.PathUnmapped]);
        }
    }

    private static IncidentLocation LocateCore(LocateRequest request)
    {
        var notes = new SortedSet<string>(StringComparer.Ordinal);
        var mappings = request.CodeMappings ?? [];
        var errorType = Blank(request.ErrorType);
        var errorMessage = Blank(request.ErrorMessage);

        IReadOnlyList<StackFrame> rawFrames;
        if (request.Frames is { Count: > 0 } structured)
        {
            rawFrames = structured;
        }
        else if (!string.IsNullOrWhiteSpace(request.StackTrace))
        {
            var parsed = StackTraceParser.Parse(request.StackTrace);
            rawFrames = parsed.Frames;
            errorType ??= Blank(parsed.ErrorType);
            errorMessage ??= Blank(parsed.Message);
            if (parsed.Truncated)
            {
                notes.Add(LocationNotes.TraceTruncated);
            }
        }
        else
        {
            rawFrames = [];
        }

        var frames = Normalize(Trim(rawFrames, notes), mappings, out var locationFrame);

        string? filePath = null;
        int? line = null;
        int? column = null;
        if (!string.IsNullOrWhiteSpace(request.ExplicitFilePath))
        {
            notes.Add(LocationNotes.ExplicitLocation);
            var mapped = RepositoryPaths.Map(request.ExplicitFilePath, mappings);
            filePath = mapped.Path;
            AddPathNotes(notes, mapped);
            var matching = LastFrameWithFile(frames, filePath);
            line = matching?.Line;
            column = matching?.Column;
        }
        else if (locationFrame is var (index, mapped))
        {
            filePath = mapped.Path;
            AddPathNotes(notes, mapped);
            line = frames[index].Line;
            column = frames[index].Column;
        }
        else if (frames.Count > 0)
        {
            notes.Add(LocationNotes.NoInAppFrame);
        }

        line = Positive(request.ExplicitLine) ?? Positive(line);
        column = Positive(request.ExplicitColumn) ?? Positive(column);
        return new IncidentLocation(filePath, line, column, errorType, errorMessage, frames, [.. notes]);
    }

    private static void AddPathNotes(SortedSet<string> notes, RepositoryPaths.MappedPath mapped)
    {
        if (mapped.Path is null)
        {
            notes.Add(LocationNotes.PathUnmapped);
        }
        else if (mapped.Compiled)
        {
            notes.Add(LocationNotes.CompiledBundle);
        }
    }

    /// <summary>Keeps the oldest <see cref="StackTraceLimits.KeptOldestFrames"/> and the newest rest.</summary>
    private static IReadOnlyList<StackFrame> Trim(IReadOnlyList<StackFrame> frames, SortedSet<string> notes)
    {
        if (frames.Count <= StackTraceLimits.MaxFrames)
        {
            return frames;
        }

        notes.Add(LocationNotes.FramesTruncated);
        var kept = new List<StackFrame>(StackTraceLimits.MaxFrames);
        for (var index = 0; index < StackTraceLimits.KeptOldestFrames; index++)
        {
            kept.Add(frames[index]);
        }

        for (var index = frames.Count - (StackTraceLimits.MaxFrames - StackTraceLimits.KeptOldestFrames); index < frames.Count; index++)
        {
            kept.Add(frames[index]);
        }

        return kept;
    }

    /// <summary>Decides InApp and maps files; <paramref name="locationFrame"/> is the most recent in-app frame with a file.</summary>
    private static List<StackFrame> Normalize(
        IReadOnlyList<StackFrame> frames, IReadOnlyList<CodeMapping> mappings,
        out (int Index, RepositoryPaths.MappedPath Mapped)? locationFrame)
    {
        locationFrame = null;
        var result = new List<StackFrame>(frames.Count);
        for (var index = 0; index < frames.Count; index++)
        {
            var frame = frames[index] ?? new StackFrame(null, null, null, null);
            var inApp = InAppClassifier.IsInApp(frame);
            var file = Blank(frame.File);
            var mapped = RepositoryPaths.Map(file, mappings);
            result.Add(frame with
            {
                File = mapped.Path ?? file,
                Line = Positive(frame.Line),
                Column = Positive(frame.Column),
                InApp = inApp,
            });
            if (inApp && file is not null)
            {
                locationFrame = (index, mapped);
            }
        }

        return result;
    }

    private static StackFrame? LastFrameWithFile(List<StackFrame> frames, string? file)
    {
        if (file is null)
        {
            return null;
        }

        for (var index = frames.Count - 1; index >= 0; index--)
        {
            if (string.Equals(frames[index].File, file, StringComparison.Ordinal))
            {
                return frames[index];
            }
        }

        return null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static int? Positive(int? value) => value is > 0 ? value : null;
}
