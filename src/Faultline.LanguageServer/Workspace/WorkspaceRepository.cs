using Faultline.Client.Git;
using Faultline.Contracts;

namespace Faultline.LanguageServer.Workspace;

/// <summary>An incident group placed in the working tree: where its file is now and what it was at the incident's commit.</summary>
/// <param name="Group">The row from the server.</param>
/// <param name="CurrentPath">Repository-relative path now (after a rename, the new name).</param>
/// <param name="OldText">The file at <c>commit_sha</c>, or <see langword="null"/> when the commit is missing or the file was not in it.</param>
/// <param name="CommitFetched">Whether <c>commit_sha</c> is in the local clone.</param>
internal sealed record ResolvedGroup(IncidentGroup Group, string CurrentPath, string? OldText, bool CommitFetched);

/// <summary>One workspace folder's git repository and what the language server knows of its incidents.</summary>
internal sealed class WorkspaceRepository(string folder, string root, GitFileReader reader, string name) : IAsyncDisposable
{
    private volatile IReadOnlyDictionary<string, IReadOnlyList<ResolvedGroup>> files = new Dictionary<string, IReadOnlyList<ResolvedGroup>>();
    private int remapRequested;

    public string Folder { get; } = folder;

    /// <summary>The working tree's top folder, as the editor names it.</summary>
    public string Root { get; } = root;

    public GitFileReader Reader { get; } = reader;

    /// <summary><c>owner/repo</c>, from the <c>origin</c> remote.</summary>
    public string Name { get; } = name;

    /// <summary>Held while groups change and diagnostics are placed and published (never during HTTP), so those never interleave.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public Signal Wake { get; } = new();

    public CancellationTokenSource Lifetime { get; } = new();

    public Task? Loop { get; set; }

    public IReadOnlyList<IncidentGroup> Groups { get; set; } = [];

    public string? ETag { get; set; }

    /// <summary>The server <see cref="ETag"/> came from; another server means a full fetch.</summary>
    public Uri? ETagServer { get; set; }

    public string? Head { get; set; }

    public string HeadSignature { get; set; } = "";

    /// <summary>Full path of each file with incidents → its groups. Replaced whole on each refresh.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ResolvedGroup>> Files
    {
        get => files;
        set => files = value;
    }

    public bool Contains(string path) =>
        path.StartsWith(Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    public string FullPathOf(string relativePath) => Path.GetFullPath(Path.Combine(Root, relativePath));

    /// <summary>Asks the next refresh to move and re-publish every diagnostic even when the groups did not change (HEAD moved, a group was resolved).</summary>
    public void RequestRemap() => Volatile.Write(ref remapRequested, 1);

    public bool TakeRemapRequest() => Interlocked.Exchange(ref remapRequested, 0) == 1;

    public async ValueTask DisposeAsync()
    {
        await Lifetime.CancelAsync();
        if (Loop is not null)
        {
            try
            {
                await Loop;
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // The loop logs its own failures; stopping must not fail because of one.
            }
        }

        Lifetime.Dispose();
        await Reader.DisposeAsync();
    }
}

/// <summary>A wake-up call that a waiting loop consumes; setting it twice before the wait wakes once.</summary>
internal sealed class Signal
{
    private TaskCompletionSource source = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set() => Volatile.Read(ref source).TrySetResult();

    /// <summary>True when woken, false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref source);
        if (!current.Task.IsCompleted)
        {
            using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = Task.Delay(timeout, time, delay.Token);
            await Task.WhenAny(current.Task, timer);
            await delay.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            if (!current.Task.IsCompleted)
            {
                return false;
            }
        }

        Interlocked.CompareExchange(ref source, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        return true;
    }
}
