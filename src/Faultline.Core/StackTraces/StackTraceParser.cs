using System.Text.RegularExpressions;
using Faultline.Core.StackTraces.Parsers;

namespace Faultline.Core.StackTraces;

/// <summary>
/// Parses the raw text of a stack trace as Node/V8 (and browsers), .NET, Python, Go, Ruby or Java print it.
/// The format is recognised by scoring every line against each runtime's frame shape; frames come back
/// oldest first whatever order the runtime printed them in.
/// <para>Chained exceptions: .NET inner exceptions and Java <c>Caused by:</c> use the root cause (the innermost
/// exception, where the error was first thrown); Python uses the last traceback (the exception that
/// propagated). If that exception has no in-app frame, the nearest one in the chain that has one is used.
/// The error type and message are those of the exception whose frames are returned.</para>
/// <para>Bounded: only the first <see cref="StackTraceLimits.MaxTraceChars"/> characters and
/// <see cref="StackTraceLimits.MaxTraceLines"/> lines are read, each line cut at
/// <see cref="StackTraceLimits.MaxLineChars"/>; never throws.</para>
/// </summary>
public static partial class StackTraceParser
{
    public static ParsedStackTrace Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ParsedStackTrace.Empty;
        }

        try
        {
            var lines = ReadLines(text, out var truncated);
            var runtime = Detect(lines);
            var segments = runtime switch
            {
                StackTraceRuntime.JavaScript => JavaScriptTraceParser.Parse(lines),
                StackTraceRuntime.DotNet => DotNetTraceParser.Parse(lines),
                StackTraceRuntime.Python => PythonTraceParser.Parse(lines),
                StackTraceRuntime.Go => GoTraceParser.Parse(lines),
                StackTraceRuntime.Ruby => RubyTraceParser.Parse(lines),
                StackTraceRuntime.Java => JavaTraceParser.Parse(lines),
                _ => [HeaderOnly(lines)],
            };

            var chosen = Choose(segments);
            return new ParsedStackTrace(
                chosen?.ErrorType, chosen?.Message, chosen?.Frames ?? [], runtime, truncated);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A parser bug must not turn one odd trace into a failed ingest: no frames is a valid answer.
            return ParsedStackTrace.Empty;
        }
    }

    /// <summary>The first segment (segments come in preference order) that has an in-app frame, else the first.</summary>
    private static TraceSegment? Choose(IReadOnlyList<TraceSegment> segments)
    {
        if (segments.Count == 1)
        {
            return segments[0]; // the first either way: no need to classify its frames
        }

        foreach (var segment in segments)
        {
            foreach (var frame in segment.Frames)
            {
                if (InAppClassifier.IsInApp(frame))
                {
                    return segment;
                }
            }
        }

        return segments.Count > 0 ? segments[0] : null;
    }

    internal static List<string> ReadLines(string text, out bool truncated)
    {
        truncated = text.Length > StackTraceLimits.MaxTraceChars;
        var span = truncated ? text.AsSpan(0, StackTraceLimits.MaxTraceChars) : text.AsSpan();
        var lines = new List<string>();
        while (!span.IsEmpty)
        {
            if (lines.Count == StackTraceLimits.MaxTraceLines)
            {
                truncated = true;
                break;
            }

            var end = span.IndexOfAny('\r', '\n');
            var line = end < 0 ? span : span[..end];
            lines.Add(line.Length > StackTraceLimits.MaxLineChars
                ? line[..StackTraceLimits.MaxLineChars].ToString()
                : line.ToString());
            if (end < 0)
            {
                break;
            }

            var next = end + 1;
            if (span[end] == '\r' && next < span.Length && span[next] == '\n')
            {
                next++;
            }

            span = span[next..];
        }

        return lines;
    }

    /// <summary>Whether the line is <c>^\s*at </c>: a V8, .NET or JVM frame can only look like that.</summary>
    internal static bool StartsWithAt(ReadOnlySpan<char> line) =>
        line.TrimStart().StartsWith("at ", StringComparison.Ordinal);

    /// <summary>
    /// Scores every line for each runtime. The first check that matches a line wins; each <c>IsFrame</c>-like
    /// check starts with a cheap test of the literal text its pattern needs, so most lines never reach a regex.
    /// </summary>
    internal static StackTraceRuntime Detect(List<string> lines)
    {
        int javaScript = 0, dotNet = 0, python = 0, go = 0, ruby = 0, java = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Contains("Traceback (most recent call last)", StringComparison.Ordinal))
            {
                python += 50;
            }
            else if (PythonTraceParser.IsFrame(line))
            {
                python += 2;
            }
            else if (GoTraceParser.IsGoroutineHeader(line))
            {
                go += 50;
            }
            else if (GoTraceParser.IsFileLine(line))
            {
                go += 2;
            }
            else if (RubyTraceParser.IsFrame(line))
            {
                ruby += 2;
            }
            else if (JavaTraceParser.IsFrame(line))
            {
                java += 2;
            }
            else if (line.StartsWith("Caused by: ", StringComparison.Ordinal))
            {
                java += 5;
            }
            else if (DotNetTraceParser.IsSeparator(line))
            {
                dotNet += 5;
            }
            else if (DotNetTraceParser.IsFrameWithFile(line))
            {
                dotNet += 3;
            }
            else if (JavaScriptTraceParser.IsFrame(line))
            {
                javaScript += 2;
            }
            else if (DotNetTraceParser.IsFrame(line))
            {
                dotNet += 1;
            }
        }

        var best = StackTraceRuntime.Unknown;
        var bestScore = 0;
        foreach (var (runtime, score) in (ReadOnlySpan<(StackTraceRuntime, int)>)
                 [(StackTraceRuntime.JavaScript, javaScript), (StackTraceRuntime.DotNet, dotNet),
                  (StackTraceRuntime.Python, python), (StackTraceRuntime.Go, go),
                  (StackTraceRuntime.Ruby, ruby), (StackTraceRuntime.Java, java)])
        {
            if (score > bestScore)
            {
                best = runtime;
                bestScore = score;
            }
        }

        return best;
    }

    private static TraceSegment HeaderOnly(List<string> lines)
    {
        var segment = new TraceSegment();
        ApplyHeader(segment, lines, lines.Count);
        return segment;
    }

    /// <summary>
    /// Sets the segment's type and message from the header line closest above <paramref name="firstFrame"/>:
    /// an exception-looking type (…Error, …Exception, namespaced) wins over any other <c>Name: message</c> line.
    /// </summary>
    internal static void ApplyHeader(TraceSegment segment, List<string> lines, int firstFrame, int lowerBound = 0)
    {
        (string Type, string? Message)? weak = null;
        var start = Math.Max(lowerBound, firstFrame - 64);
        for (var index = Math.Min(firstFrame, lines.Count) - 1; index >= start; index--)
        {
            if (TryParseHeader(lines[index], out var type, out var message, out var strong))
            {
                if (strong)
                {
                    segment.ErrorType = type;
                    segment.Message = message;
                    return;
                }

                weak ??= (type, message);
            }
        }

        if (weak is { } header)
        {
            segment.ErrorType = header.Type;
            segment.Message = header.Message;
        }
    }

    /// <summary><c>TypeError: x</c>, <c>Uncaught TypeError: x</c>, <c>Unhandled exception. System.X: y</c>,
    /// <c>Exception in thread "main" java.lang.X: y</c>, <c>Error [ERR_X]: y</c>, <c>ValueError</c>.</summary>
    internal static bool TryParseHeader(string line, out string type, out string? message, out bool strong)
    {
        type = string.Empty;
        message = null;
        strong = false;
        var match = Header().Match(line);
        if (!match.Success)
        {
            return false;
        }

        type = match.Groups["type"].Value;
        var hasMessage = match.Groups["message"].Success;
        message = hasMessage ? match.Groups["message"].Value.Trim() : null;
        strong = LooksLikeExceptionType(type) || match.Groups["prefix"].Success;
        if (!hasMessage && !strong)
        {
            return false;
        }

        return type is not ("at" or "from" or "File" or "goroutine" or "Traceback" or "Caused" or "Note" or "Hint");
    }

    /// <summary>Ends like an exception type (…Error, …Exception) or is a namespaced type (<c>django.db.X</c>, <c>A::B</c>).</summary>
    internal static bool LooksLikeExceptionType(string type)
    {
        if (ExceptionTypeSuffix().IsMatch(type))
        {
            return true;
        }

        var last = type.LastIndexOfAny(['.', ':', '+']) + 1;
        return last > 0 && last < type.Length && char.IsAsciiLetterUpper(type[last]);
    }

    [GeneratedRegex(
        @"^\s*(?:⨯\s*)?(?<prefix>Uncaught (?:\(in promise\) )?|Unhandled [Ee]xception[.:]? |Exception in thread ""[^""]*"" |Error: Uncaught )?(?<type>[A-Za-z_$][\w$]*(?:(?:\.|::|\+)[A-Za-z_$][\w$`]*)*)(?: \[[\w-]+\])?(?::(?: (?<message>.*)|$)|$)",
        RegexOptions.CultureInvariant)]
    private static partial Regex Header();

    [GeneratedRegex(@"(?:Error|Exception|Rejection|Failure|Fault|Panic|Exit|Interrupt|Warning|Iteration)$", RegexOptions.CultureInvariant)]
    private static partial Regex ExceptionTypeSuffix();
}

/// <summary>One exception of a (possibly chained) trace: its header and its frames, oldest first.</summary>
internal sealed class TraceSegment
{
    public string? ErrorType { get; set; }

    public string? Message { get; set; }

    public List<StackFrame> Frames { get; } = [];
}
