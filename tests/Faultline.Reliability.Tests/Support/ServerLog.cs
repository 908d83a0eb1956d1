namespace Faultline.Reliability.Tests.Support;

/// <summary>Reads a server process's console log (the simple console format: "fail: …", "crit: …").</summary>
internal static class ServerLog
{
    public static List<string> Errors(string output) =>
        [.. output.Split('\n').Where(line => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)
            || line.Contains("Unhandled exception", StringComparison.Ordinal))];
}
