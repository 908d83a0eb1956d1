using System.Globalization;

namespace Faultline.Reliability.Tests.Support;

/// <summary>
/// Prints each figure of a scenario where CI shows it: the test's output, stderr, and
/// <c>artifacts/reliability.txt</c> under the repository root (the folder holding Faultline.slnx).
/// </summary>
internal static class Figures
{
    private static readonly Lock Gate = new();
    private static readonly Lazy<string?> ArtifactPath = new(FindArtifactPath);

    public static void Report(string scenario, string name, FormattableString value) =>
        Write($"[reliability] {scenario}: {name} = {value.ToString(CultureInfo.InvariantCulture)}");

    public static void Write(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        lock (Gate)
        {
            Console.Error.WriteLine(line);
            if (ArtifactPath.Value is { } path)
            {
                File.AppendAllText(path, $"{DateTime.UtcNow:O} {line}\n");
            }
        }
    }

    private static string? FindArtifactPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Faultline.slnx")))
            {
                var artifacts = Directory.CreateDirectory(Path.Combine(directory.FullName, "artifacts"));
                return Path.Combine(artifacts.FullName, "reliability.txt");
            }
        }

        return null;
    }
}
