using System.Text.RegularExpressions;

namespace Faultline.Core.StackTraces.Parsers;

/// <summary>
/// JVM traces (Java, Kotlin, Scala): <c>\tat com.x.Y.method(Y.java:42)</c> newest first, <c>Caused by: …</c>
/// for each cause, <c>... 25 more</c>, <c>Suppressed:</c> blocks (skipped). The root cause (the last
/// <c>Caused by:</c>) comes first in preference. A JVM frame names a file without its folder, so the path
/// is derived from the package: <c>com.shop.api.OrderController</c> in <c>OrderController.java</c> gives
/// <c>com/shop/api/OrderController.java</c>; a code mapping (<c>com/shop/</c> → <c>src/main/java/com/shop/</c>)
/// turns that into the repository path, as with Sentry.
/// </summary>
internal static partial class JavaTraceParser
{
    public static bool IsFrame(string line) =>
        StackTraceParser.StartsWithAt(line)
        && Frame().Match(line) is { Success: true } match && Location().IsMatch(match.Groups["location"].ValueSpan);

    public static List<TraceSegment> Parse(List<string> lines)
    {
        var segments = new List<TraceSegment>();
        var current = new TraceSegment();
        var newestFirst = new List<StackFrame>();
        var firstFrame = -1;
        var suppressed = false;
        for (var index = 0; index < lines.Count; index++)
        {
            var line = lines[index];
            if (line.StartsWith("Caused by: ", StringComparison.Ordinal))
            {
                Close(segments, current, newestFirst);
                current = new TraceSegment();
                newestFirst = [];
                suppressed = false;
                if (StackTraceParser.TryParseHeader(line["Caused by: ".Length..], out var type, out var message, out _))
                {
                    current.ErrorType = type;
                    current.Message = message;
                }

                continue;
            }

            if (line.AsSpan().TrimStart().StartsWith("Suppressed: ", StringComparison.Ordinal))
            {
                suppressed = true;
                continue;
            }

            if (suppressed || !StackTraceParser.StartsWithAt(line) || Frame().Match(line) is not { Success: true } match
                || Location().Match(match.Groups["location"].Value) is not { Success: true } location)
            {
                continue;
            }

            if (firstFrame < 0)
            {
                firstFrame = index;
                StackTraceParser.ApplyHeader(current, lines, index);
            }

            var function = match.Groups["function"].Value;
            var slash = function.LastIndexOf('/');
            if (slash >= 0)
            {
                function = function[(slash + 1)..]; // java.base/java.lang.Thread.run, app//com.x.Y.m
            }

            var className = function.LastIndexOf('.') is var dot and > 0 ? function[..dot] : null;
            newestFirst.Add(new StackFrame(
                FilePath(className, location.Groups["file"].Success ? location.Groups["file"].Value : null),
                location.Groups["line"].Success ? JavaScriptTraceParser.ParseNumber(location.Groups["line"].Value) : null,
                null,
                function,
                Module: className));
        }

        Close(segments, current, newestFirst);

        // Root cause first, then outward.
        segments.Reverse();
        return segments;
    }

    private static void Close(List<TraceSegment> segments, TraceSegment segment, List<StackFrame> newestFirst)
    {
        newestFirst.Reverse();
        segment.Frames.AddRange(newestFirst);
        if (segment.Frames.Count > 0 || segment.ErrorType is not null || segments.Count == 0)
        {
            segments.Add(segment);
        }
    }

    private static string? FilePath(string? className, string? file)
    {
        if (file is null)
        {
            return null;
        }

        var packageEnd = className?.LastIndexOf('.') ?? -1;
        return packageEnd > 0 ? className![..packageEnd].Replace('.', '/') + "/" + file : file;
    }

    [GeneratedRegex(@"^\s*at (?<function>[^\s(]+)\((?<location>[^()]*)\)", RegexOptions.CultureInvariant)]
    private static partial Regex Frame();

    [GeneratedRegex(@"^(?:(?<file>[\w$-]+\.(?:java|kt|kts|scala|groovy|clj))(?::(?<line>\d{1,9}))?|Native Method|Unknown Source(?::\d+)?)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Location();
}
