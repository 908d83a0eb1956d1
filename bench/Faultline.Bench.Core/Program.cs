// Micro-benchmarks of the pure functions on the ingest hot path (StackTraceParser.Parse,
// IncidentLocator.Locate, Fingerprinter.Compute) on one trace per common runtime.
// Run: dotnet run -c Release --project bench/Faultline.Bench.Core -- --filter '*' --job short
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
