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
        if (TryMatchV8(line, out _, out _, out var location))
        {
            return TrySplitLocation(location, out _, out _, out _) || location is "native" or "<anonymous>"
                || location.StartsWith("index ", StringComparison.Ordinal);
        }

        return line.Contains('@', StringComparison.Ordinal) && BrowserFrame().IsMatch(line);
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
        if (TryMatchV8(line, out var hasFunction, out var function, out var location))
        {
            location = location.Trim();
            if (!hasFunction && location.StartsWith("async ", StringComparison.Ordinal))
            {
                location = location["async ".Length..];
            }
        }
        else if (line.Contains('@', StringComparison.Ordinal) && BrowserFrame().Match(line) is { Success: true } browser)
        {
            hasFunction = true;
            function = browser.Groups["function"].ValueSpan;
            location = browser.Groups["location"].ValueSpan;
        }
        else
        {
            return false;
        }

        if (location.StartsWith("eval at ", StringComparison.Ordinal)
            && EvalOrigin().Match(location.ToString()) is { Success: true } origin)
        {
            location = origin.Groups["location"].ValueSpan;
        }

        if (function.StartsWith("async ", StringComparison.Ordinal))
        {
            function = function["async ".Length..];
        }

        var functionName = !hasFunction || function.IsWhiteSpace() ? null : function.Trim().ToString();
        if (TrySplitLocation(location, out var file, out var lineNumber, out var column))
        {
            frame = new StackFrame(file.ToString(), lineNumber, column, functionName);
            return true;
        }

        if (location is "native" or "<anonymous>" || location.StartsWith("index ", StringComparison.Ordinal))
        {
            frame = new StackFrame(location is "<anonymous>" ? "<anonymous>" : null, null, null, functionName);
            return true;
        }

        return false;
    }

    /// <summary>
    /// <c>^\s*at (?:(?&lt;function&gt;[^()]*) \((?&lt;location&gt;.*)\)|(?&lt;location&gt;\S.*))$</c> without a regex:
    /// this runs on every line of every trace. The function is the text before the first parenthesis when that
    /// is <c>" ("</c> and the line ends with <c>)</c>; else the whole rest is the location. Lines never contain
    /// <c>\n</c> (<see cref="StackTraceParser.ReadLines"/> splits on it), so <c>.</c> and <c>$</c> need no care.
    /// </summary>
    internal static bool TryMatchV8(
        ReadOnlySpan<char> line, out bool hasFunction, out ReadOnlySpan<char> function, out ReadOnlySpan<char> location)
    {
        hasFunction = false;
        function = default;
        location = default;
        var trimmed = line.TrimStart();
        if (!trimmed.StartsWith("at ", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = trimmed["at ".Length..];
        var parenthesis = rest.IndexOfAny('(', ')');
        if (parenthesis >= 1 && rest[parenthesis] == '(' && rest[parenthesis - 1] == ' '
            && rest.Length - 1 > parenthesis && rest[^1] == ')')
        {
            hasFunction = true;
            function = rest[..(parenthesis - 1)];
            location = rest[(parenthesis + 1)..^1];
            return true;
        }

        if (rest.IsEmpty || char.IsWhiteSpace(rest[0]))
        {
            return false;
        }

        location = rest;
        return true;
    }

    /// <summary><c>file:line:column</c> or <c>file:line</c>, read from the end (the file may contain <c>:</c>).</summary>
    internal static bool TrySplitLocation(ReadOnlySpan<char> location, out ReadOnlySpan<char> file, out int? line, out int? column)
    {
        file = location;
        line = null;
        column = null;
        var last = location.LastIndexOf(':');
        if (last <= 0 || ParseNumber(location[(last + 1)..]) is not { } lastNumber)
        {
            return false;
        }

        var before = location[..last].LastIndexOf(':');
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

        return !file.IsWhiteSpace();
    }

    internal static int? ParseNumber(ReadOnlySpan<char> digits) =>
        digits.Length is 0 or > 9 ? null :
        int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : null;

    [GeneratedRegex(@"^\s*(?<function>[^@\s]*)@(?<location>\S+:\d+:\d+)\s*$",
        RegexOptions.CultureInvariant)]
    private static partial Regex BrowserFrame();

    [GeneratedRegex(@"\((?<location>[^()]+:\d+:\d+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex EvalOrigin();
}
