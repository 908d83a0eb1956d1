using Faultline.Testing;

// Each scenario runs alone (xunit.runner.json turns collection parallelism off): each one loads
// the 2-core machine on its own, and its figures (latencies, RSS) would mean nothing with another
// scenario running beside it.
[assembly: AssemblyFixture(typeof(TestPostgres))]
