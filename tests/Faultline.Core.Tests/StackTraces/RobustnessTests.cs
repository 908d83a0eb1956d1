using System.Text;
using Faultline.Core.Fingerprints;
using Faultline.Core.StackTraces;

namespace Faultline.Core.Tests.StackTraces;

/// <summary>The pure functions never throw and do bounded work, whatever they are given.</summary>
public sealed class RobustnessTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5); // generous: the machine is shared

    public static TheoryData<string> HostileTexts()
    {
        var random = new Random(42);
        var garbage = new StringBuilder(10 * 1024 * 1024);
        while (garbage.Length < 10 * 1024 * 1024)
        {
            garbage.Append((char)random.Next(0, 0xFFFF));
        }

        var longLines = string.Join('\n', Enumerable.Repeat("    at " + new string('(', 50_000) + ":1:2)", 20));
        var manyFrames = "Error: x\n" + string.Concat(Enumerable.Repeat("    at f (/var/task/src/a.js:1:2)\n", 100_000));
        var dotNetArrows = "System.Exception: a" + string.Concat(Enumerable.Repeat(" ---> System.Exception: b", 20_000));
        var pythonSpam = string.Concat(Enumerable.Repeat("Traceback (most recent call last):\n  File \"/app/a.py\", line 1, in f\n", 50_000));
        var goSpam = "panic: x\n\ngoroutine 1 [running]:\n" + string.Concat(Enumerable.Repeat("main.f(" + new string('(', 1000) + ")\n\t/app/a.go:1 +0x1\n", 20_000));
        return new TheoryData<string>
        {
            string.Empty,
            " ",
            "\0\0\0\u0001\u001b[31m",
            "\ud800\udc00\ud800 lone \udfff surrogates at f (\ud800:1:2)",
            "at",
            "    at ",
            "    at (:)",
            "    at f (:1:2)",
            "  File \"\", line 99999999999999999999, in x",
            "panic: \ngoroutine 1 [running]:\n\n\t:1",
            ":1:in `'",
            "\tat (.java:1)",
            "Caused by: \nCaused by: ",
            "Traceback (most recent call last):",
            "--- End of inner exception stack trace ---\n--- End of inner exception stack trace ---",
            new string('\n', 100_000),
            new string('a', 3_000_000),
            garbage.ToString(),
            longLines,
            manyFrames,
            dotNetArrows,
            pythonSpam,
            goSpam,
        };
    }

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void EveryFunction_HostileText_DoesNotThrow_AndIsBounded(string text)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();

        var parsed = StackTraceParser.Parse(text);
        var location = IncidentLocator.Locate(new LocateRequest(text, text, text, null, text, -1, int.MaxValue, []));
        var fromFrames = IncidentLocator.Locate(new LocateRequest(
            null, null, null, [new StackFrame(text, int.MinValue, 0, text, null, text)], null, null, null,
            [new CodeMapping(text, text)]));
        var fingerprint = Fingerprinter.Compute(text, text, location.Frames, [text, "{{ default }}"]);
        _ = RepositoryPaths.ToRepositoryPath(text, [new CodeMapping(text, text)]);

        stopwatch.Stop();
        Assert.True(stopwatch.Elapsed < Budget, $"took {stopwatch.Elapsed}");
        Assert.True(parsed.Frames.Count <= StackTraceLimits.MaxTraceLines);
        Assert.True(location.Frames.Count <= StackTraceLimits.MaxFrames);
        Assert.NotNull(fromFrames);
        Assert.Matches("^[0-9a-f]{64}$", fingerprint);
        if (location.FilePath is { } path)
        {
            Assert.False(path.StartsWith('/'));
        }
    }

    [Fact]
    public void Locate_HundredThousandStructuredFrames_KeepsTheNewestAndNotesTheTrim()
    {
        var frames = Enumerable.Range(1, 100_000)
            .Select(line => new StackFrame("/var/task/src/deep.js", line, 1, "recurse"))
            .ToArray();

        var location = IncidentLocator.Locate(new LocateRequest("RangeError", "Maximum call stack size exceeded", null, frames, null, null, null, []));

        Assert.Equal(StackTraceLimits.MaxFrames, location.Frames.Count);
        Assert.Equal(1, location.Frames[0].Line);
        Assert.Equal(100_000, location.Frames[^1].Line);
        Assert.Equal(100_000, location.LineNumber);
        Assert.Equal("src/deep.js", location.FilePath);
        Assert.Contains(LocationNotes.FramesTruncated, location.Notes);
    }

    [Fact]
    public void Parse_TraceLongerThanTheLimit_IsMarkedTruncated()
    {
        var text = "Error: x\n    at f (/var/task/src/a.js:1:2)\n" + new string('x', StackTraceLimits.MaxTraceChars);

        var parsed = StackTraceParser.Parse(text);
        var location = IncidentLocator.Locate(new LocateRequest(null, null, text, null, null, null, null, []));

        Assert.True(parsed.Truncated);
        Assert.Equal("src/a.js", location.FilePath);
        Assert.Contains(LocationNotes.TraceTruncated, location.Notes);
    }

    [Fact]
    public void Locate_NullEntriesInFramesAndMappings_AreTolerated()
    {
        var location = IncidentLocator.Locate(new LocateRequest(
            null, null, null, [null!, new StackFrame("/var/task/src/a.js", 3, 4, "f")], null, null, null, [null!]));

        Assert.Equal("src/a.js", location.FilePath);
    }
}
