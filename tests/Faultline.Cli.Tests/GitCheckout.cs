using Faultline.Client.Git;

namespace Faultline.Cli.Tests;

/// <summary>A real git repository in a temporary folder, optionally with an <c>origin</c> remote.</summary>
internal sealed class GitCheckout : IDisposable
{
    private GitCheckout(string path) => Path = path;

    public string Path { get; }

    public static async Task<GitCheckout> CreateAsync(string? origin)
    {
        var checkout = new GitCheckout(Directory.CreateTempSubdirectory("flgit-").FullName);
        await RunAsync(checkout.Path, "init", "--quiet");
        if (origin is not null)
        {
            await RunAsync(checkout.Path, "remote", "add", "origin", origin);
        }

        return checkout;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    private static async Task RunAsync(string directory, params string[] args)
    {
        var result = await GitProcess.RunAsync(directory, args, TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, result.Error);
    }
}
