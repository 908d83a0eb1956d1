using System.Text.RegularExpressions;

namespace Faultline.Core.StackTraces.Parsers;

/// <summary>
/// Go panics: <c>panic: message</c> (or <c>fatal error: …</c>, <c>http: panic serving addr: …</c>), then
/// <c>goroutine 1 [running]:</c> and pairs of a function line and a <c>\t/path/file.go:42 +0x1d</c> line,
/// newest first. Only the first goroutine (the one that panicked) is read. The error type is
/// <c>panic</c> or <c>fatal error</c>, since Go prints no exception type.
/// </summary>
internal static partial class GoTraceParser
{
    public static bool IsGoroutineHeader(string line) =>
        line.StartsWith("goroutine ", StringComparison.Ordinal) && Goroutine().IsMatch(line);

    public static bool IsFileLine(string line) => MayBeFileLine(line) && FileLine().IsMatch(line);

    /// <summary>
    /// What <see cref="FileLine"/> needs: an indented line with <c>:</c> and a digit after it, ending (before
    /// trailing whitespace) in a digit or hex digit (<c>:42</c>, <c>+0x1d</c>, <c>pc=0x434cfd</c>).
    /// </summary>
    private static bool MayBeFileLine(string line)
    {
        if (line.Length == 0 || !char.IsWhiteSpace(line[0]))
        {
            return false;
        }

        var trimmed = line.AsSpan().TrimEnd();
        if (trimmed.IsEmpty || !(char.IsDigit(trimmed[^1]) || char.IsAsciiHexDigit(trimmed[^1])))
        {
            return false;
        }

        for (var colon = trimmed.IndexOf(':'); colon >= 0; colon = trimmed.IndexOf(':'))
        {
            if (colon + 1 < trimmed.Length && char.IsDigit(trimmed[colon + 1]))
            {
                return true;
            }

            trimmed = trimmed[(colon + 1)..];
        }

        return false;
    }

    public static List<TraceSegment> Parse(List<string> lines)
    {
        var segment = new TraceSegment();
        var start = 0;
        for (var index = 0; index < lines.Count; index++)
        {
            if (ReadHeader(segment, lines[index]))
            {
                break;
            }
        }

        for (var index = 0; index < lines.Count; index++)
        {
            if (IsGoroutineHeader(lines[index]))
            {
                start = index + 1;
                break;
            }
        }

        var newestFirst = new List<StackFrame>();
        string? function = null;
        for (var index = start; index < lines.Count; index++)
        {
            var line = lines[index];
            if (newestFirst.Count > 0 && IsGoroutineHeader(line))
            {
                break; // the next goroutine's stack
            }

            if (MayBeFileLine(line) && FileLine().Match(line) is { Success: true } file)
            {
                newestFirst.Add(new StackFrame(
                    file.Groups["file"].Value,
                    JavaScriptTraceParser.ParseNumber(file.Groups["line"].Value),
                    null,
                    function));
                function = null;
                continue;
            }

            if (line.Length > 0 && !char.IsWhiteSpace(line[0]))
            {
                function = FunctionName(line);
            }
        }

        newestFirst.Reverse();
        segment.Frames.AddRange(newestFirst);
        return [segment];
    }

    private static bool ReadHeader(TraceSegment segment, string line)
    {
        if (Panic().Match(line) is not { Success: true } panic)
        {
            return false;
        }

        segment.ErrorType = panic.Groups["fatal"].Success ? "fatal error" : "panic";
        var message = panic.Groups["message"].Value.Trim();
        if (message.EndsWith(" [recovered]", StringComparison.Ordinal))
        {
            message = message[..^" [recovered]".Length];
        }

        segment.Message = message;
        return true;
    }

    [GeneratedRegex(@"^goroutine \d+ \[", RegexOptions.CultureInvariant)]
    private static partial Regex Goroutine();

    [GeneratedRegex(@"^\s+(?<file>\S.*\.\w+):(?<line>\d{1,9})(?: \+0x[0-9a-fA-F]+)?(?: [a-z]+=0x[0-9a-fA-F]+)*\s*$",
        RegexOptions.CultureInvariant)]
    private static partial Regex FileLine();

    /// <summary><c>main.(*T).Method(0xc000012345, …)</c> → <c>main.(*T).Method</c>;
    /// <c>created by main.main in goroutine 1</c> → <c>main.main</c>.</summary>
    internal static string? FunctionName(string line)
    {
        var text = line.Trim();
        if (text.StartsWith("created by ", StringComparison.Ordinal))
        {
            text = text["created by ".Length..];
        }

        var goroutine = text.IndexOf(" in goroutine ", StringComparison.Ordinal);
        if (goroutine > 0)
        {
            text = text[..goroutine];
        }

        if (text.EndsWith(')'))
        {
            var depth = 0;
            for (var index = text.Length - 1; index >= 0; index--)
            {
                depth += text[index] switch { ')' => 1, '(' => -1, _ => 0 };
                if (depth == 0)
                {
                    text = text[..index];
                    break;
                }
            }
        }

        return text.Length == 0 || text.Contains(' ', StringComparison.Ordinal) ? null : text;
    }

    [GeneratedRegex(@"^(?:.*?http: panic serving [^:]+:|(?<fatal>fatal error:)|panic:)\s*(?<message>.*)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Panic();
}
