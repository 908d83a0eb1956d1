using Faultline.Core.StackTraces;

namespace Faultline.Core.Tests.StackTraces;

public sealed class TraceCorpusTests
{
    [Fact]
    public void Corpus_HasAtLeastFortyTraces_FromEveryRuntime()
    {
        Assert.True(TraceCorpus.Cases.Count >= 40, $"only {TraceCorpus.Cases.Count} traces");
        var runtimes = TraceCorpus.Cases.Select(trace => StackTraceParser.Parse(trace.Trace).Runtime).ToHashSet();
        Assert.Equal(
            [StackTraceRuntime.JavaScript, StackTraceRuntime.DotNet, StackTraceRuntime.Python, StackTraceRuntime.Go,
             StackTraceRuntime.Ruby, StackTraceRuntime.Java],
            runtimes.Order());
    }

    [Theory]
    [MemberData(nameof(TraceCorpus.Names), MemberType = typeof(TraceCorpus))]
    public void Locate_RawTrace_PointsAtTheMostRecentInAppFrame(string name)
    {
        var trace = TraceCorpus.Get(name);

        var location = IncidentLocator.Locate(new LocateRequest(
            null, null, trace.Trace, null, null, null, null, trace.CodeMappings));

        Assert.Equal(trace.FilePath, location.FilePath);
        Assert.Equal(trace.LineNumber, location.LineNumber);
        Assert.Equal(trace.ColumnNumber, location.ColumnNumber);
        Assert.Equal(trace.ErrorType, location.ErrorType);
        Assert.Equal(trace.Notes.Order(StringComparer.Ordinal), location.Notes);
        Assert.NotEmpty(location.Frames);
    }

    [Theory]
    [MemberData(nameof(TraceCorpus.Names), MemberType = typeof(TraceCorpus))]
    public void Parse_RawTrace_ReturnsFramesOldestFirst_WithTheThrowingFrameLast(string name)
    {
        var trace = TraceCorpus.Get(name);

        var parsed = StackTraceParser.Parse(trace.Trace);
        var location = IncidentLocator.Locate(new LocateRequest(
            null, null, trace.Trace, null, null, null, null, trace.CodeMappings));

        Assert.NotEqual(StackTraceRuntime.Unknown, parsed.Runtime);
        Assert.Equal(trace.ErrorType, parsed.ErrorType);
        Assert.False(string.IsNullOrWhiteSpace(parsed.Message) && trace.ErrorType is not "ValueError" and not "Error");
        if (trace.LineNumber is { } line)
        {
            // The chosen frame is the newest in-app one: no in-app frame after it.
            var chosen = location.Frames.ToList().FindLastIndex(frame => frame.InApp == true && frame.File is not null);
            Assert.Equal(line, location.Frames[chosen].Line);
        }
    }

    [Theory]
    [MemberData(nameof(TraceCorpus.Names), MemberType = typeof(TraceCorpus))]
    public void Locate_RawTrace_NeverReturnsAnAbsoluteOrDeploymentPath(string name)
    {
        var trace = TraceCorpus.Get(name);

        var location = IncidentLocator.Locate(new LocateRequest(
            null, null, trace.Trace, null, null, null, null, trace.CodeMappings));

        if (location.FilePath is { } path)
        {
            Assert.False(path.StartsWith('/'), path);
            Assert.DoesNotContain('\\', path);
            Assert.DoesNotContain("://", path, StringComparison.Ordinal);
            Assert.False(path.Length > 1 && path[1] == ':', path);
        }
    }
}
