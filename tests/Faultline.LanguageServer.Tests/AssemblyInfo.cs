using Faultline.Testing;

// One PostgreSQL for the run, for the end-to-end test against the real server.
[assembly: AssemblyFixture(typeof(TestPostgres))]

// Credentials file modes and the git and server processes are POSIX concerns; these tests run on Linux and macOS.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
