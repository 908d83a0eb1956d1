using System.Text.RegularExpressions;

namespace Faultline.Core.StackTraces.Parsers;

/// <summary>
/// V8 (Node, Chrome, Edge, Deno, Bun) <c>    at fn (file:line:col)</c>, <c>    at file:line:col</c>,
/// <c>    at async fn (…)</c>, and Firefox/Safari <c>fn@file:line:col</c>. Printed newest first.
/// </summary>
internal static partial class JavaScriptTraceParser
{
    public static bool IsFrame(string line)
    {
        if (V8Frame().Match(line) is { Success: true } match)
        {
            var location = match.Groups["location"].Value;
            return TrySplitLocation(location, out _, out _, out _) || location is "native" or "<anonymous>"
                || location.StartsWith("index ", StringComparison.Ordinal);
        }

        return BrowserFrame().IsMatch(line);
    }

    public static List<TraceSegment> Parse(List<string> lines)
    {
        var segment = new TraceSegment();
        var newestFirst = new List<StackFrame>();
        var firstFrame = -1;
        for (var index = 0; index < lines.Count; index++)
        {
            if (!TryParseFrame(lines[index], out var frame))
            {
                // A second error's frames (a logged "cause", another log entry) are not ours.
                if (newestFirst.Count > 0 && StackTraceParser.TryParseHeader(lines[index], out _, out _, out var strong) && strong)
                {
                    break;
                }

                continue;
            }

            if (firstFrame < 0)
            {
                firstFrame = index;
            }

            newestFirst.Add(frame);
        }

        StackTraceParser.ApplyHeader(segment, lines, firstFrame < 0 ? lines.Count : firstFrame);
        newestFirst.Reverse();
        segment.Frames.AddRange(newestFirst);
        return [segment];
    }

    private static bool TryParseFrame(string line, out StackFrame frame)
    {
        frame = null!;
        string? function;
        string location;
        if (V8Frame().Match(line) is { Success: true } v8)
        {
            function = v8.Groups["function"].Success ? v8.Groups["function"].Value : null;
            location = v8.Groups["location"].Value.Trim();
            if (function is null && location.StartsWith("async ", StringComparison.Ordinal))
            {
                location = location["async ".Length..];
            }
        }
        else if (BrowserFrame().Match(line) is { Success: true } browser)
        {
            function = browser.Groups["function"].Value;
            location = browser.Groups["location"].Value;
        }
        else
        {
            return false;
        }

        if (location.StartsWith("eval at ", StringComparison.Ordinal) && EvalOrigin().Match(location) is { Success: true } origin)
        {
            location = origin.Groups["location"].Value;
        }

        if (function is not null && function.StartsWith("async ", StringComparison.Ordinal))
        {
            function = function["async ".Length..];
        }

        function = string.IsNullOrWhiteSpace(function) ? null : function.Trim();
        if (TrySplitLocation(location, out var file, out var lineNumber, out var column))
        {
            frame = new StackFrame(file, lineNumber, column, function);
            return true;
        }

        if (location is "native" or "<anonymous>" || location.StartsWith("index ", StringComparison.Ordinal))
        {
            frame = new StackFrame(location == "<anonymous>" ? location : null, null, null, function);
            return true;
        }

        return false;
    }

    /// <summary><c>file:line:column</c> or <c>file:line</c>, read from the end (the file may contain <c>:</c>).</summary>
    internal static bool TrySplitLocation(string location, out string file, out int? line, out int? column)
    {
        file = location;
        line = null;
        column = null;
        var last = location.LastIndexOf(':');
        if (last <= 0 || ParseNumber(location[(last + 1)..]) is not { } lastNumber)
        {
            return false;
        }

        var before = location.LastIndexOf(':', last - 1);
        if (before > 0 && ParseNumber(location[(before + 1)..last]) is { } lineNumber)
        {
            file = location[..before];
            line = lineNumber;
            column = lastNumber;
        }
        else
        {
            file = location[..last];
            line = lastNumber;
        }

        return file.Trim().Length > 0;
    }

    internal static int? ParseNumber(string digits) =>
        digits.Length is 0 or > 9 ? null :
        int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : null;

    [GeneratedRegex(@"^\s*at (?:(?<function>[^()]*) \((?<location>.*)\)|(?<location>\S.*))$",
        RegexOptions.CultureInvariant)]
    private static partial Regex V8Frame();

    [GeneratedRegex(@"^\s*(?<function>[^@\s]*)@(?<location>\S+:\d+:\d+)\s*$",
        RegexOptions.CultureInvariant)]
    private static partial Regex BrowserFrame();

    [GeneratedRegex(@"\((?<location>[^()]+:\d+:\d+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex EvalOrigin();
}
