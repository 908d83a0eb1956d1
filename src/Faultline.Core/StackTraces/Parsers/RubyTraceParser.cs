using System.Text.RegularExpressions;

namespace Faultline.Core.StackTraces.Parsers;

/// <summary>
/// Ruby backtraces, newest first: <c>/app/x.rb:10:in 'Cart#total': message (NoMethodError)</c> then
/// <c>\tfrom /app/y.rb:5:in `block in call'</c>, and Rails logs' <c>NoMethodError (message):</c> then
/// <c>  app/controllers/x.rb:28:in `index'</c>. Both quote styles (Ruby 3.4 <c>'</c>, older <c>`…'</c>).
/// </summary>
internal static partial class RubyTraceParser
{
    public static bool IsFrame(string line) => MayBeFrame(line) && Frame().IsMatch(line);

    /// <summary>A frame has <c>:line:in '</c>, so it contains <c>:in </c>.</summary>
    private static bool MayBeFrame(string line) => line.Contains(":in ", StringComparison.Ordinal);

    public static List<TraceSegment> Parse(List<string> lines)
    {
        var segment = new TraceSegment();
        var newestFirst = new List<StackFrame>();
        var firstFrame = -1;
        for (var index = 0; index < lines.Count; index++)
        {
            if (!MayBeFrame(lines[index]) || Frame().Match(lines[index]) is not { Success: true } match)
            {
                continue;
            }

            if (firstFrame < 0)
            {
                firstFrame = index;
                var rest = match.Groups["rest"].Value;
                if (InlineHeader().Match(rest) is { Success: true } inline)
                {
                    segment.ErrorType = inline.Groups["type"].Value;
                    segment.Message = inline.Groups["message"].Value.Trim();
                }
            }

            newestFirst.Add(new StackFrame(
                match.Groups["file"].Value,
                JavaScriptTraceParser.ParseNumber(match.Groups["line"].Value),
                null,
                match.Groups["function"].Value));
        }

        if (segment.ErrorType is null)
        {
            var end = firstFrame < 0 ? lines.Count : firstFrame;
            for (var index = end - 1; index >= Math.Max(0, end - 64) && segment.ErrorType is null; index--)
            {
                if (RailsHeader().Match(lines[index]) is { Success: true } rails)
                {
                    segment.ErrorType = rails.Groups["type"].Value;
                    segment.Message = rails.Groups["message"].Value.Trim();
                }
            }

            if (segment.ErrorType is null)
            {
                StackTraceParser.ApplyHeader(segment, lines, end);
            }
        }

        newestFirst.Reverse();
        segment.Frames.AddRange(newestFirst);
        return [segment];
    }

    [GeneratedRegex(@"^\s*(?:from\s+)?(?<file>[^\s:'""`(][^:]*):(?<line>\d{1,9}):in [`'](?<function>[^'`]*)'(?<rest>.*)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Frame();

    /// <summary><c>: undefined method 'sum' for nil (NoMethodError)</c> after the first frame.</summary>
    [GeneratedRegex(@"^: (?<message>.*) \((?<type>[A-Z][\w]*(?:::[A-Z][\w]*)*)\)\s*$",
        RegexOptions.CultureInvariant)]
    private static partial Regex InlineHeader();

    /// <summary><c>NoMethodError (undefined method `x' for nil):</c>, <c>NoMethodError - message:</c>.</summary>
    [GeneratedRegex(@"^\s*(?<type>[A-Z]\w*(?:::[A-Z]\w*)*)(?: \((?<message>.*)\):?| - (?<message>.*?):?)\s*$",
        RegexOptions.CultureInvariant)]
    private static partial Regex RailsHeader();
}
