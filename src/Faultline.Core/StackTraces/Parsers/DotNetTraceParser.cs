using System.Text.RegularExpressions;

namespace Faultline.Core.StackTraces.Parsers;

/// <summary>
/// .NET <c>Exception.ToString()</c>: <c>   at Ns.Type.Method(Args) in /path/File.cs:line 42</c>, newest first.
/// <c> ---&gt; Inner: message</c> in the header and <c>--- End of inner exception stack trace ---</c> between
/// frame blocks: the blocks come innermost first. <c>--- End of stack trace from previous location ---</c>
/// (async rethrows) joins blocks of the same exception.
/// </summary>
internal static partial class DotNetTraceParser
{
    private const string InnerArrow = "--->";

    public static bool IsSeparator(string line) =>
        line.AsSpan().TrimStart().StartsWith("--- End of ", StringComparison.Ordinal);

    public static bool IsFrameWithFile(string line) =>
        line.Contains(":line ", StringComparison.Ordinal) && StackTraceParser.StartsWithAt(line)
        && Frame().Match(line) is { Success: true } match && match.Groups["file"].Success;

    public static bool IsFrame(string line) => StackTraceParser.StartsWithAt(line) && Frame().IsMatch(line);

    public static List<TraceSegment> Parse(List<string> lines)
    {
        var blocks = new List<List<StackFrame>> { new() };
        var firstFrame = -1;
        for (var index = 0; index < lines.Count; index++)
        {
            var line = lines[index];
            if (line.Contains("End of inner exception stack trace", StringComparison.Ordinal))
            {
                blocks.Add([]);
                continue;
            }

            if (!StackTraceParser.StartsWithAt(line) || Frame().Match(line) is not { Success: true } match)
            {
                continue;
            }

            if (firstFrame < 0)
            {
                firstFrame = index;
            }

            var function = match.Groups["function"].Value.Trim();
            blocks[^1].Add(new StackFrame(
                match.Groups["file"].Success ? match.Groups["file"].Value : null,
                match.Groups["line"].Success ? JavaScriptTraceParser.ParseNumber(match.Groups["line"].Value) : null,
                null,
                function));
        }

        var headers = Headers(lines, firstFrame < 0 ? lines.Count : firstFrame);

        // Block i (innermost first) belongs to header (count - 1 - i) (outermost first).
        var segments = new List<TraceSegment>();
        for (var block = 0; block < blocks.Count; block++)
        {
            var segment = new TraceSegment();
            var headerIndex = headers.Count - 1 - block;
            if (headerIndex >= 0 && headerIndex < headers.Count)
            {
                (segment.ErrorType, segment.Message) = headers[headerIndex];
            }
            else if (headers.Count > 0)
            {
                (segment.ErrorType, segment.Message) = headers[0];
            }

            blocks[block].Reverse();
            segment.Frames.AddRange(blocks[block]);
            if (segment.Frames.Count > 0 || block == 0)
            {
                segments.Add(segment);
            }
        }

        return segments;
    }

    /// <summary>The exception chain from the header above the first frame, outermost first.</summary>
    private static List<(string? Type, string? Message)> Headers(List<string> lines, int firstFrame)
    {
        var probe = new TraceSegment();
        StackTraceParser.ApplyHeader(probe, lines, firstFrame);
        if (probe.ErrorType is null)
        {
            return [];
        }

        // Find the header line again, then read it and any " ---> " lines up to the first frame.
        var start = Math.Max(0, firstFrame - 64);
        var headerLine = -1;
        for (var index = Math.Min(firstFrame, lines.Count) - 1; index >= start; index--)
        {
            if (lines[index].Contains(probe.ErrorType, StringComparison.Ordinal)
                && !lines[index].TrimStart().StartsWith(InnerArrow, StringComparison.Ordinal))
            {
                headerLine = index;
                break;
            }
        }

        var text = headerLine < 0
            ? $"{probe.ErrorType}: {probe.Message}"
            : string.Join('\n', lines.GetRange(headerLine, Math.Min(firstFrame, lines.Count) - headerLine));
        var chain = new List<(string?, string?)>();
        foreach (var part in text.Split(InnerArrow))
        {
            var trimmed = part.Trim();
            if (StackTraceParser.TryParseHeader(trimmed.Split('\n')[0], out var type, out var message, out _))
            {
                chain.Add((type, message));
            }
        }

        if (chain.Count == 0)
        {
            chain.Add((probe.ErrorType, probe.Message));
        }

        return chain;
    }

    [GeneratedRegex(@"^\s*at (?<function>[^\s(]+\([^()]*\))(?: in (?<file>.+):line (?<line>\d{1,9}))?\s*$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Frame();
}
