using BenchmarkDotNet.Attributes;
using Faultline.Core.Fingerprints;
using Faultline.Core.StackTraces;
using Faultline.Core.Tests.StackTraces;

namespace Faultline.Bench.Core;

[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private LocateRequest request = null!;
    private IncidentLocation location = null!;

    /// <summary>Node: <see cref="BenchTraces.Node"/>; the others come from the test corpus.</summary>
    [Params("node", "dotnet", "python", "java")]
    public string Trace { get; set; } = "node";

    [GlobalSetup]
    public void Setup()
    {
        var corpusName = Trace switch
        {
            "dotnet" => "efcore-dbupdate-inner-npgsql-only",
            "python" => "django-view-keyerror",
            "java" => "spring-bean-creation-caused-by",
            _ => null,
        };
        var (text, mappings) = corpusName is null
            ? (BenchTraces.Node, (IReadOnlyList<CodeMapping>)[])
            : (TraceCorpus.Get(corpusName).Trace, TraceCorpus.Get(corpusName).CodeMappings);
        request = new LocateRequest(null, null, text, null, null, null, null, mappings);
        location = IncidentLocator.Locate(request);
    }

    [Benchmark]
    public ParsedStackTrace Parse() => StackTraceParser.Parse(request.StackTrace!);

    [Benchmark]
    public IncidentLocation Locate() => IncidentLocator.Locate(request);

    [Benchmark]
    public string Fingerprint() => Fingerprinter.Compute(location.ErrorType, location.ErrorMessage, location.Frames, null);
}
