using System.Diagnostics;

namespace Faultline.LanguageServer.Tests.Infrastructure;

/// <summary>A real git repository in a temporary folder, with an <c>origin</c> remote on GitHub.</summary>
internal sealed class GitRepository : IDisposable
{
    private GitRepository(string root) => Root = root;

    public string Root { get; }

    public static GitRepository Create(string remote = "https://github.com/acme/shop.git")
    {
        var root = Path.Combine(Path.GetTempPath(), "faultline-lsp-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var repository = new GitRepository(root);
        repository.Git("init", "-q", "-b", "main");
        repository.Git("config", "user.email", "dev@example.com");
        repository.Git("config", "user.name", "Dev");
        repository.Git("config", "commit.gpgsign", "false");
        repository.Git("remote", "add", "origin", remote);
        return repository;
    }

    public string PathOf(string relativePath) => System.IO.Path.Combine(Root, relativePath);

    public Uri UriOf(string relativePath) => new(PathOf(relativePath));

    public void Write(string relativePath, string content)
    {
        var path = PathOf(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public string Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "--allow-empty", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("git")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error}");
        }

        return output;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process may still hold a file; the temp folder is cleaned eventually.
        }
        catch (UnauthorizedAccessException)
        {
            // git makes its object files read-only; best effort.
        }
    }
}
