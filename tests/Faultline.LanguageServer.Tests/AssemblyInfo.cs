// Credentials file modes and the git and server processes are POSIX concerns; these tests run on Linux and macOS.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
