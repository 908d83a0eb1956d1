using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Faultline.Client.Git;

/// <summary>
/// Reads one git repository for the editor integration without running git per keystroke:
/// file contents at a commit come from one long-lived <c>git cat-file --batch</c> process and are
/// cached per (sha, path); HEAD changes are noticed from files under the git directory.
/// </summary>
/// <remarks>
/// Renames are found with <c>git diff --name-status -M -z --diff-filter=R &lt;sha&gt; &lt;head&gt;</c>
/// over the whole tree, once per (sha, HEAD), rather than <c>git log --follow</c> per file: one
/// command answers every file of an incident commit. Renames not yet committed are not followed.
/// </remarks>
public sealed class GitFileReader : IAsyncDisposable
{
    private const int MaxCachedFiles = 4096;

    private readonly ConcurrentDictionary<(string Sha, string Path), string?> files = new();
    private readonly ConcurrentDictionary<string, bool> commits = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Sha, string Head), IReadOnlyDictionary<string, string>> renames = new();
    private readonly SemaphoreSlim batchLock = new(1, 1);
    private Process? batch;
    private BufferedStream? batchOutput;
    private int batchRequests;

    private GitFileReader(string root, string gitDirectory, string commonDirectory)
    {
        Root = root;
        GitDirectory = gitDirectory;
        CommonDirectory = commonDirectory;
    }

    /// <summary>The working tree's top folder.</summary>
    public string Root { get; }

    /// <summary>This working tree's git directory (holds HEAD).</summary>
    public string GitDirectory { get; }

    /// <summary>The repository's shared git directory (refs, packed-refs); differs from <see cref="GitDirectory"/> in a linked worktree.</summary>
    public string CommonDirectory { get; }

    /// <summary>Requests answered by the <c>cat-file</c> process so far (the cache is doing its job when this stays put).</summary>
    public int BatchRequests => Volatile.Read(ref batchRequests);

    /// <summary>Opens the repository containing <paramref name="directory"/>, or <see langword="null"/> when it is not in one.</summary>
    public static async Task<GitFileReader?> OpenAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }

        var output = await RunGitAsync(directory, ["rev-parse", "--show-toplevel", "--absolute-git-dir", "--git-common-dir"], cancellationToken);
        var lines = output?.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines is not { Length: 3 })
        {
            return null;
        }

        var gitDirectory = lines[1];
        var commonDirectory = Path.GetFullPath(Path.IsPathRooted(lines[2]) ? lines[2] : Path.Combine(directory, lines[2]));
        return new GitFileReader(lines[0], gitDirectory, commonDirectory);
    }

    /// <summary>Runs git in <paramref name="directory"/> and returns its standard output, or <see langword="null"/> when it fails.</summary>
    public static async Task<string?> RunGitAsync(string directory, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        Process? started;
        try
        {
            started = Process.Start(CreateStartInfo(directory, arguments));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // git is missing, or the folder was deleted under us.
            return null;
        }

        using var process = started;
        if (process is null)
        {
            return null;
        }

        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = await stdout;
        await stderr;
        return process.ExitCode == 0 ? text.TrimEnd('\n') : null;
    }

    /// <summary>The commit HEAD points at, or <see langword="null"/> in a repository without commits.</summary>
    public Task<string?> GetHeadAsync(CancellationToken cancellationToken) =>
        RunGitAsync(Root, ["rev-parse", "--verify", "--quiet", "HEAD"], cancellationToken);

    /// <summary>
    /// A cheap fingerprint of where HEAD points, read from files only (HEAD, the branch's ref file,
    /// packed-refs). It changes on a checkout, a commit, a reset or a pull.
    /// </summary>
    public string ReadHeadSignature()
    {
        var head = ReadOrEmpty(Path.Combine(GitDirectory, "HEAD")).Trim();
        if (!head.StartsWith("ref: ", StringComparison.Ordinal))
        {
            return head;
        }

        var reference = head[5..];
        var loose = ReadOrEmpty(Path.Combine(CommonDirectory, reference)).Trim();
        var packed = new FileInfo(Path.Combine(CommonDirectory, "packed-refs"));
        var packedStamp = packed.Exists ? $"{packed.LastWriteTimeUtc.Ticks}:{packed.Length}" : "";
        return $"{head}|{loose}|{packedStamp}";
    }

    /// <summary>Whether the commit is in the local clone. A missing one is asked again next time (a fetch may bring it).</summary>
    public async Task<bool> CommitExistsAsync(string sha, CancellationToken cancellationToken)
    {
        if (commits.TryGetValue(sha, out var known))
        {
            return known;
        }

        var exists = await ReadObjectAsync($"{sha}^{{commit}}", cancellationToken) is not null;
        if (exists)
        {
            commits[sha] = true;
        }

        return exists;
    }

    /// <summary>
    /// The file as it was at <paramref name="sha"/> (<c>git show sha:path</c>), or <see langword="null"/>
    /// when the commit is not in the clone or the file did not exist then. Cached per (sha, path).
    /// </summary>
    public async Task<string?> ShowAsync(string sha, string path, CancellationToken cancellationToken)
    {
        var key = (sha, path);
        if (files.TryGetValue(key, out var cached))
        {
            return cached;
        }

        if (!await CommitExistsAsync(sha, cancellationToken))
        {
            return null;
        }

        var content = await ReadObjectAsync($"{sha}:{path}", cancellationToken);
        if (files.Count >= MaxCachedFiles)
        {
            files.Clear();
        }

        files[key] = content;
        return content;
    }

    /// <summary>The file as it is in the working tree, or <see langword="null"/> when it does not exist (or lies outside the repository).</summary>
    public string? ReadWorkingTreeFile(string path)
    {
        var fullPath = GetFullPath(path);
        if (fullPath is null || !File.Exists(fullPath))
        {
            return null;
        }

        try
        {
            return File.ReadAllText(fullPath);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The absolute path of a repository-relative path, or <see langword="null"/> when it would leave the working tree.</summary>
    public string? GetFullPath(string path)
    {
        var fullPath = Path.GetFullPath(Path.Combine(Root, path));
        var rootWithSeparator = Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar;
        return fullPath.StartsWith(rootWithSeparator, StringComparison.Ordinal) ? fullPath : null;
    }

    /// <summary>Files renamed between <paramref name="sha"/> and <paramref name="head"/>: old path → new path. Cached per pair.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetRenamesAsync(string sha, string head, CancellationToken cancellationToken)
    {
        if (renames.TryGetValue((sha, head), out var cached))
        {
            return cached;
        }

        var output = await RunGitAsync(Root, ["diff", "--name-status", "-M", "-z", "--diff-filter=R", sha, head, "--"], cancellationToken);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var fields = (output ?? "").Split('\0');
        for (var i = 0; i + 2 < fields.Length; i += 3)
        {
            if (fields[i].StartsWith('R'))
            {
                result[fields[i + 1]] = fields[i + 2];
            }
        }

        if (output is not null)
        {
            renames[(sha, head)] = result;
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await batchLock.WaitAsync();
        try
        {
            if (batch is { HasExited: false })
            {
                batch.StandardInput.Close();
                if (!batch.WaitForExit(2000))
                {
                    batch.Kill();
                }
            }

            batch?.Dispose();
            batch = null;
            batchOutput = null;
        }
        finally
        {
            batchLock.Release();
            batchLock.Dispose();
        }
    }

    private async Task<string?> ReadObjectAsync(string objectName, CancellationToken cancellationToken)
    {
        await batchLock.WaitAsync(cancellationToken);
        try
        {
            Interlocked.Increment(ref batchRequests);
            try
            {
                return await ReadObjectLockedAsync(objectName, cancellationToken);
            }
            catch (Exception exception) when (exception is IOException or InvalidOperationException or FormatException or System.ComponentModel.Win32Exception)
            {
                // The process died or answered out of step: start a new one next time.
                batch?.Dispose();
                batch = null;
                batchOutput = null;
                return null;
            }
        }
        finally
        {
            batchLock.Release();
        }
    }

    private async Task<string?> ReadObjectLockedAsync(string objectName, CancellationToken cancellationToken)
    {
        if (batch is null || batchOutput is null || batch.HasExited)
        {
            batch?.Dispose();
            batch = Process.Start(CreateStartInfo(Root, ["cat-file", "--batch"], redirectInput: true))
                ?? throw new InvalidOperationException("git cat-file did not start");
            batch.ErrorDataReceived += static (_, _) => { };
            batch.BeginErrorReadLine();
            batchOutput = new BufferedStream(batch.StandardOutput.BaseStream, 64 * 1024);
        }

        await batch.StandardInput.WriteAsync((objectName + "\n").AsMemory(), cancellationToken);
        await batch.StandardInput.FlushAsync(cancellationToken);

        var output = batchOutput;
        var header = await ReadLineAsync(output, cancellationToken);
        if (header.EndsWith(" missing", StringComparison.Ordinal) || header.EndsWith(" ambiguous", StringComparison.Ordinal))
        {
            return null;
        }

        // "<oid> <type> <size>", then the content and a line feed.
        var size = int.Parse(header[(header.LastIndexOf(' ') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
        var buffer = new byte[size + 1];
        await output.ReadExactlyAsync(buffer, cancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, size);
    }

    private static async Task<string> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>(64);
        var one = new byte[1];
        while (true)
        {
            await stream.ReadExactlyAsync(one, cancellationToken);
            if (one[0] == (byte)'\n')
            {
                return Encoding.UTF8.GetString([.. bytes]);
            }

            bytes.Add(one[0]);
        }
    }

    private static ProcessStartInfo CreateStartInfo(string directory, IReadOnlyList<string> arguments, bool redirectInput = false)
    {
        var startInfo = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardInputEncoding = redirectInput ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) : null,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["GIT_TERMINAL_PROMPT"] = "0";
        startInfo.Environment["LC_ALL"] = "C";
        return startInfo;
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }
}
