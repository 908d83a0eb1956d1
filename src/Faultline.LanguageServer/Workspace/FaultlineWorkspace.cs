using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Faultline.Client;
using Faultline.Client.Git;
using Faultline.Contracts;
using Faultline.LanguageServer.Diagnostics;
using Faultline.LanguageServer.Incidents;
using Faultline.LanguageServer.Protocol;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;

namespace Faultline.LanguageServer.Workspace;

/// <summary>
/// The language server's state: the workspace folders' repositories, the open buffers, and a
/// refresh loop per repository (every <c>refresh_interval_seconds</c>, when HEAD moves, on demand,
/// with backoff after failures). Handlers call into it.
/// </summary>
internal sealed class FaultlineWorkspace : IAsyncDisposable
{
    private readonly JsonRpc rpc;
    private readonly LanguageServerOptions options;
    private readonly ILogger logger;
    private readonly IReadOnlyList<string> gitHubHosts;
    private readonly FaultlineConnection connection;
    private readonly ProblemReporter problems;
    private readonly ConcurrentDictionary<string, WorkspaceRepository> repositories = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ITimer> pendingRemaps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Incident> incidents = new(StringComparer.Ordinal);
    private volatile Settings settings = Settings.Default;
    private volatile bool started;

    public FaultlineWorkspace(JsonRpc rpc, LanguageServerOptions options, JsonSerializerOptions protocolJson)
    {
        this.rpc = rpc;
        this.options = options;
        ProtocolJson = protocolJson;
        logger = options.LoggerFactory.CreateLogger("Faultline.LanguageServer");
        gitHubHosts = GitRemote.Hosts(options.Environment);
        connection = new FaultlineConnection(() => settings, options);
        problems = new ProblemReporter(rpc);
        Publisher = new DiagnosticPublisher(rpc);
    }

    public DocumentStore Documents { get; } = new();

    public DiagnosticPublisher Publisher { get; }

    public JsonSerializerOptions ProtocolJson { get; }

    public TimeProvider Time => options.Time;

    public Settings Settings => settings;

    public void ApplySettings(JsonElement? json)
    {
        var previous = settings;
        settings = Settings.Read(json, previous);
        if (settings != previous)
        {
            foreach (var repository in repositories.Values)
            {
                repository.Wake.Set();
            }
        }
    }

    /// <summary>Opens the folder's repository (its <c>origin</c> remote names it); folders that are not GitHub-style repositories are skipped.</summary>
    public async Task AddFolderAsync(string folderUri, CancellationToken cancellationToken)
    {
        if (DocumentStore.ToPath(folderUri) is not { } folder || repositories.ContainsKey(folder))
        {
            return;
        }

        var reader = await GitFileReader.OpenAsync(folder, cancellationToken);
        if (reader is null)
        {
            Log.FolderSkipped(logger, folder, "not a git repository");
            return;
        }

        string name;
        try
        {
            name = await GitRemote.ResolveOriginAsync(reader.Root, gitHubHosts, cancellationToken);
        }
        catch (GitException exception)
        {
            Log.FolderSkipped(logger, folder, exception.Message);
            await reader.DisposeAsync();
            return;
        }

        // Name files as the editor does: the folder itself when it is the top of the working tree.
        var root = Directory.Exists(Path.Combine(folder, ".git")) || File.Exists(Path.Combine(folder, ".git")) ? folder : reader.Root;
        var repository = new WorkspaceRepository(folder, root.TrimEnd(Path.DirectorySeparatorChar), reader, name)
        {
            HeadSignature = reader.ReadHeadSignature(),
            Head = await reader.GetHeadAsync(cancellationToken),
        };
        if (!repositories.TryAdd(folder, repository))
        {
            await repository.DisposeAsync();
            return;
        }

        Log.RepositoryOpened(logger, folder, name, repository.Head);
        if (started)
        {
            StartLoop(repository);
        }
    }

    public async Task RemoveFolderAsync(string folderUri)
    {
        if (DocumentStore.ToPath(folderUri) is { } folder && repositories.TryRemove(folder, out var repository))
        {
            await repository.DisposeAsync();
            foreach (var path in Publisher.PublishedPaths.Where(repository.Contains).ToList())
            {
                await Publisher.PublishAsync(path, UriOf(path), []);
            }
        }
    }

    /// <summary>After <c>initialized</c>: fetch now, then keep refreshing.</summary>
    public void Start()
    {
        started = true;
        foreach (var repository in repositories.Values)
        {
            StartLoop(repository);
        }
    }

    public WorkspaceRepository? FindRepository(string path) =>
        repositories.Values.Where(r => r.Contains(path)).MaxBy(r => r.Root.Length);

    /// <summary>Fetches every repository's groups now and re-publishes everything.</summary>
    public async Task RefreshAllAsync(CancellationToken cancellationToken)
    {
        foreach (var repository in repositories.Values)
        {
            if ((await RefreshAsync(repository, remap: true, cancellationToken)).Problem != ConnectionProblem.None)
            {
                // Let the repository's loop take over with its retries and backoff.
                repository.Wake.Set();
            }
        }
    }

    /// <summary>A buffer was opened, edited or closed: move its diagnostics after a short quiet time. Cheap: no I/O here.</summary>
    public void ScheduleRemap(string path, TimeSpan delay)
    {
        if (FindRepository(path) is null)
        {
            return;
        }

        if (pendingRemaps.TryGetValue(path, out var timer))
        {
            timer.Change(delay, Timeout.InfiniteTimeSpan);
            return;
        }

        var created = options.Time.CreateTimer(static state => ((PendingRemap)state!).Fire(), new PendingRemap(this, path), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (pendingRemaps.TryAdd(path, created))
        {
            created.Change(delay, Timeout.InfiniteTimeSpan);
        }
        else
        {
            created.Dispose();
            pendingRemaps[path].Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Moves one file's diagnostics to its current text (buffer or working tree) and publishes them if they changed.</summary>
    public async Task RemapFileAsync(string path)
    {
        if (FindRepository(path) is not { } repository)
        {
            return;
        }

        await repository.Gate.WaitAsync();
        try
        {
            if (!repository.Files.TryGetValue(path, out var groups))
            {
                return;
            }

            var document = Documents.Get(path);
            var text = document?.Text ?? repository.Reader.ReadWorkingTreeFile(groups[0].CurrentPath);
            var items = DiagnosticsBuilder.Build(groups, text, options.Time.GetUtcNow());
            await Publisher.PublishAsync(path, document?.Uri ?? UriOf(path), items);
        }
        finally
        {
            repository.Gate.Release();
        }
    }

    /// <summary>Resolves a group on the server, drops its diagnostic at once, then refreshes.</summary>
    public async Task<bool> ResolveAsync(CommandTarget target, CancellationToken cancellationToken)
    {
        if (DocumentStore.ToPath(target.Uri) is not { } path || FindRepository(path) is not { } repository)
        {
            return false;
        }

        var name = repository.Name;
        var outcome = await connection.SendAsync((client, ct) => client.ResolveIncidentGroupAsync(name, target.Fingerprint, ct), cancellationToken);
        if (outcome.Problem != ConnectionProblem.None)
        {
            await rpc.NotifyWithParameterObjectAsync(LspMethods.ShowMessage, new ShowMessageParams(
                MessageType.Error, $"Faultline: could not resolve. {ProblemReporter.Describe(name, outcome.Problem, outcome.Server, outcome.Detail)}"));
            return false;
        }

        Log.Resolved(logger, target.Fingerprint, name);
        await repository.Gate.WaitAsync(cancellationToken);
        try
        {
            repository.Groups = [.. repository.Groups.Where(g => g.Fingerprint != target.Fingerprint)];
            repository.ETag = null;
            await RemapAsync(repository, cancellationToken);
        }
        finally
        {
            repository.Gate.Release();
        }

        repository.Wake.Set();
        return true;
    }

    /// <summary>The incident behind a diagnostic, fetched once (for the hover's stack trace).</summary>
    public async Task<Incident?> GetIncidentAsync(string incidentId, CancellationToken cancellationToken)
    {
        if (incidents.TryGetValue(incidentId, out var cached))
        {
            return cached;
        }

        var outcome = await connection.SendAsync((client, ct) => client.GetIncidentAsync(incidentId, ct), cancellationToken);
        if (outcome.Value is { } incident)
        {
            incidents[incidentId] = incident;
        }

        return outcome.Value;
    }

    /// <summary>The dashboard page of an incident: <c>{server}/incidents/{incident_id}</c>.</summary>
    public Uri? DashboardUrl(string? incidentId) =>
        incidentId is { Length: > 0 } && connection.GetServer() is { } server ? new Uri(server, $"incidents/{Uri.EscapeDataString(incidentId)}") : null;

    public async ValueTask DisposeAsync()
    {
        foreach (var timer in pendingRemaps.Values)
        {
            await timer.DisposeAsync();
        }

        foreach (var repository in repositories.Values)
        {
            await repository.DisposeAsync();
        }

        repositories.Clear();
        connection.Dispose();
    }

    private static string UriOf(string path) => DocumentStore.ToUri(path);

    private void StartLoop(WorkspaceRepository repository) =>
        repository.Loop ??= Task.Run(() => RunLoopAsync(repository, repository.Lifetime.Token));

    private async Task RunLoopAsync(WorkspaceRepository repository, CancellationToken cancellationToken)
    {
        var failures = 0;
        var remap = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            Outcome<Conditional<IReadOnlyList<IncidentGroup>>> outcome;
            try
            {
                outcome = await RefreshAsync(repository, remap || repository.TakeRemapRequest(), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                Log.UnexpectedError(logger, "refresh", exception);
                outcome = new Outcome<Conditional<IReadOnlyList<IncidentGroup>>>(ConnectionProblem.ServerDown, Detail: exception.Message);
            }

            remap = false;
            TimeSpan delay;
            if (outcome.Problem == ConnectionProblem.None)
            {
                failures = 0;
                delay = settings.RefreshInterval;
            }
            else
            {
                failures++;
                var backoff = options.InitialBackoff * Math.Pow(2, Math.Min(failures - 1, 16));
                delay = backoff < options.MaxBackoff ? backoff : options.MaxBackoff;
                Log.RefreshFailed(logger, repository.Name, outcome.Problem.ToString(), outcome.Detail, delay);
            }

            try
            {
                remap = await WaitAsync(repository, delay, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                Log.UnexpectedError(logger, "watching HEAD", exception);
                remap = true;
            }
        }
    }

    /// <summary>Waits for the next refresh: the delay, a wake-up, or HEAD moving (then returns true: re-map everything).</summary>
    private async Task<bool> WaitAsync(WorkspaceRepository repository, TimeSpan delay, CancellationToken cancellationToken)
    {
        var due = options.Time.GetUtcNow() + delay;
        while (options.Time.GetUtcNow() < due)
        {
            var slice = due - options.Time.GetUtcNow();
            if (await repository.Wake.WaitAsync(slice < options.HeadPollInterval ? slice : options.HeadPollInterval, options.Time, cancellationToken))
            {
                return false;
            }

            var signature = repository.Reader.ReadHeadSignature();
            if (signature != repository.HeadSignature)
            {
                repository.HeadSignature = signature;
                repository.Head = await repository.Reader.GetHeadAsync(cancellationToken);
                Log.HeadChanged(logger, repository.Name, repository.Head);
                return true;
            }
        }

        return false;
    }

    private async Task<Outcome<Conditional<IReadOnlyList<IncidentGroup>>>> RefreshAsync(
        WorkspaceRepository repository, bool remap, CancellationToken cancellationToken)
    {
        var name = repository.Name;
        var server = connection.GetServer();
        var etag = server is not null && server == repository.ETagServer ? repository.ETag : null;
        var outcome = await connection.SendAsync(
            (client, ct) => client.ListAllIncidentGroupsAsync(name, IncidentStatus.Open, etag, ct), cancellationToken);
        if (outcome.Problem != ConnectionProblem.None)
        {
            await problems.ReportAsync(name, outcome.Problem, outcome.Server, outcome.Detail);
            return outcome;
        }

        problems.Clear(name);
        var groups = outcome.Value!;
        if (groups.NotModified && !remap)
        {
            Log.GroupsNotModified(logger, name);
            return outcome;
        }

        await repository.Gate.WaitAsync(cancellationToken);
        try
        {
            if (!groups.NotModified)
            {
                repository.Groups = groups.Value!;
                repository.ETag = groups.ETag;
                repository.ETagServer = outcome.Server;
                Log.GroupsFetched(logger, name, repository.Groups.Count);
            }

            await RemapAsync(repository, cancellationToken);
            return outcome;
        }
        finally
        {
            repository.Gate.Release();
        }
    }

    /// <summary>Places every group in the working tree (following renames) and publishes each file. Called holding the repository's gate.</summary>
    private async Task RemapAsync(WorkspaceRepository repository, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var reader = repository.Reader;
        var head = repository.Head;
        var files = new Dictionary<string, List<ResolvedGroup>>(StringComparer.Ordinal);
        foreach (var group in repository.Groups)
        {
            if (group.FilePath is not { Length: > 0 } relative || reader.GetFullPath(relative) is null)
            {
                continue;
            }

            var sha = group.CommitSha;
            var fetched = sha is not null && await reader.CommitExistsAsync(sha, cancellationToken);
            var current = relative;
            var path = repository.FullPathOf(relative);
            if (fetched && head is not null && Documents.Get(path) is null && !File.Exists(path)
                && (await reader.GetRenamesAsync(sha!, head, cancellationToken)).TryGetValue(relative, out var renamed))
            {
                current = renamed;
                path = repository.FullPathOf(renamed);
            }

            var oldText = fetched ? await reader.ShowAsync(sha!, relative, cancellationToken) : null;
            if (!files.TryGetValue(path, out var list))
            {
                list = [];
                files[path] = list;
            }

            list.Add(new ResolvedGroup(group, current, oldText, fetched));
        }

        repository.Files = files.ToDictionary(f => f.Key, f => (IReadOnlyList<ResolvedGroup>)f.Value, StringComparer.Ordinal);
        var now = options.Time.GetUtcNow();
        var published = 0;
        foreach (var (path, groups) in files)
        {
            var document = Documents.Get(path);
            var text = document?.Text ?? reader.ReadWorkingTreeFile(groups[0].CurrentPath);
            if (await Publisher.PublishAsync(path, document?.Uri ?? UriOf(path), DiagnosticsBuilder.Build(groups, text, now)))
            {
                published++;
            }
        }

        foreach (var stale in Publisher.PublishedPaths.Where(p => repository.Contains(p) && !files.ContainsKey(p)).ToList())
        {
            await Publisher.PublishAsync(stale, Documents.Get(stale)?.Uri ?? UriOf(stale), []);
            published++;
        }

        Log.Published(logger, repository.Name, published, stopwatch.Elapsed.TotalMilliseconds);
    }

    private sealed class PendingRemap(FaultlineWorkspace workspace, string path)
    {
        public void Fire() => _ = FireAsync();

        private async Task FireAsync()
        {
            try
            {
                await workspace.RemapFileAsync(path);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                Log.UnexpectedError(workspace.logger, "remap", exception);
            }
        }
    }
}
