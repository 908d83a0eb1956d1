using System.Text.RegularExpressions;

namespace Faultline.Core.StackTraces.Parsers;

/// <summary>
/// CPython tracebacks: <c>Traceback (most recent call last):</c>, then <c>  File "x.py", line 3, in f</c>
/// oldest first, then <c>ValueError: message</c>. Chained exceptions print one traceback per exception,
/// the propagated one last; exception groups prefix lines with <c>|</c>.
/// </summary>
internal static partial class PythonTraceParser
{
    private const string TracebackMarker = "Traceback (most recent call last)";

    public static bool IsFrame(string line) => MayBeFrame(line) && Frame().IsMatch(line);

    /// <summary>A frame is <c>^\s*File "</c>.</summary>
    private static bool MayBeFrame(string line) => line.AsSpan().TrimStart().StartsWith("File \"", StringComparison.Ordinal);

    public static List<TraceSegment> Parse(List<string> lines)
    {
        var segments = new List<TraceSegment>();
        TraceSegment? current = null;
        var afterFrames = false;
        foreach (var raw in lines)
        {
            var line = GroupPrefix().Replace(raw, string.Empty, 1);
            if (line.Contains(TracebackMarker, StringComparison.Ordinal))
            {
                current = new TraceSegment();
                segments.Add(current);
                afterFrames = false;
                continue;
            }

            if (MayBeFrame(line) && Frame().Match(line) is { Success: true } frame)
            {
                if (current is null || afterFrames)
                {
                    current = new TraceSegment();
                    segments.Add(current);
                    afterFrames = false;
                }

                current.Frames.Add(new StackFrame(
                    frame.Groups["file"].Value,
                    JavaScriptTraceParser.ParseNumber(frame.Groups["line"].Value),
                    null,
                    frame.Groups["function"].Success ? frame.Groups["function"].Value.Trim() : null));
                continue;
            }

            // The exception line is the first unindented line after the frames.
            if (current is { ErrorType: null, Frames.Count: > 0 } && line.Length > 0 && !char.IsWhiteSpace(line[0])
                && StackTraceParser.TryParseHeader(line, out var type, out var message, out _))
            {
                current.ErrorType = type;
                current.Message = message;
                afterFrames = true;
            }
        }

        // The last traceback is the exception that propagated; earlier ones are its causes.
        segments.Reverse();
        return segments.Count > 0 ? segments : [new TraceSegment()];
    }

    [GeneratedRegex(@"^\s*File ""(?<file>[^""]+)"", line (?<line>\d{1,9})(?:, in (?<function>.+))?\s*$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Frame();

    /// <summary>Exception groups (3.11+) draw boxes: <c>  | </c> and <c>  +-+---- 1 ----</c>.</summary>
    [GeneratedRegex(@"^\s*[|+](?:[-+]*(?: \d+ -+| \.\.\.)?\s*$| ?)", RegexOptions.CultureInvariant)]
    private static partial Regex GroupPrefix();
}
