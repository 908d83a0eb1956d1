using Faultline.Testing;

[assembly: AssemblyFixture(typeof(TestPostgres))]

// Credentials file modes and the CLI processes are POSIX concerns; these tests run on Linux and macOS.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
