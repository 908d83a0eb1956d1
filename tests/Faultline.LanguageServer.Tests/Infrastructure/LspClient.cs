using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace Faultline.LanguageServer.Tests.Infrastructure;

/// <summary>
/// An editor's side of the protocol: JSON-RPC over a pipe to the real language server, speaking
/// raw LSP JSON. Records every <c>publishDiagnostics</c>, <c>showMessage</c> and <c>showDocument</c>.
/// </summary>
internal sealed class LspClient : IAsyncDisposable
{
    private readonly JsonRpc rpc;
    private readonly Task<int>? server;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentDictionary<string, JsonElement> diagnostics = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Uri, JsonElement Diagnostics)> publications = new();
    private readonly SemaphoreSlim published = new(0);
    private readonly Dictionary<string, int> versions = [];

    private LspClient(Stream toServer, Stream fromServer, Task<int>? server)
    {
        this.server = server;
        var formatter = new SystemTextJsonFormatter();
        rpc = new JsonRpc(new HeaderDelimitedMessageHandler(toServer, fromServer, formatter));
        rpc.AddLocalRpcTarget(new EditorMethods(this));
        rpc.StartListening();
    }

    public ConcurrentQueue<string> Messages { get; } = new();

    public ConcurrentQueue<JsonElement> ShownDocuments { get; } = new();

    /// <summary>Every publishDiagnostics received, in order.</summary>
    public int PublicationCount => publications.Count;

    public Task<int>? ServerTask => server;

    /// <summary>Starts the language server in-process on a full-duplex pipe, as <c>faultline lsp</c> would run it.</summary>
    public static LspClient StartInProcess(LanguageServerOptions options)
    {
        var (clientStream, serverStream) = FullDuplexStream.CreatePair();
        return new LspClient(clientStream, clientStream, LanguageServerHost.RunAsync(serverStream, serverStream, options, CancellationToken.None));
    }

    public static LspClient Connect(Stream toServer, Stream fromServer) => new(toServer, fromServer, null);

    public static LanguageServerOptions TestOptions(string configDirectory, string? token = null) => new()
    {
        Time = TimeProvider.System,
        // FAULTLINE_TEST_LOG=1 shows the server's log on stderr.
        LoggerFactory = Environment.GetEnvironmentVariable("FAULTLINE_TEST_LOG") is null
            ? NullLoggerFactory.Instance
            : LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)),
        Environment = name => name switch
        {
            "XDG_CONFIG_HOME" => configDirectory,
            "FAULTLINE_TOKEN" => token,
            _ => null,
        },
        HeadPollInterval = TimeSpan.FromMilliseconds(100),
        InitialBackoff = TimeSpan.FromMilliseconds(100),
        MaxBackoff = TimeSpan.FromMilliseconds(500),
        ChangeDebounce = TimeSpan.FromMilliseconds(20),
    };

    public async Task<JsonElement> InitializeAsync(IEnumerable<string> folders, object? initializationOptions)
    {
        var result = await rpc.InvokeWithParameterObjectAsync<JsonElement>("initialize", new
        {
            processId = Environment.ProcessId,
            rootUri = (string?)null,
            capabilities = new { },
            workspaceFolders = folders.Select(f => new { uri = new Uri(f).AbsoluteUri, name = Path.GetFileName(f) }).ToArray(),
            initializationOptions,
        });
        await rpc.NotifyWithParameterObjectAsync("initialized", new { });
        return result;
    }

    public Task OpenAsync(string path, string text)
    {
        var uri = new Uri(path).AbsoluteUri;
        versions[uri] = 1;
        return rpc.NotifyWithParameterObjectAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "typescript", version = 1, text } });
    }

    /// <summary>Sends one incremental change: replace <paramref name="startLine"/>:<paramref name="startCharacter"/>–<paramref name="endLine"/>:<paramref name="endCharacter"/> (0-based) with <paramref name="text"/>.</summary>
    public Task ChangeAsync(string path, int startLine, int startCharacter, int endLine, int endCharacter, string text)
    {
        var uri = new Uri(path).AbsoluteUri;
        versions[uri] = versions.GetValueOrDefault(uri) + 1;
        return rpc.NotifyWithParameterObjectAsync("textDocument/didChange", new
        {
            textDocument = new { uri, version = versions[uri] },
            contentChanges = new[] { new { range = new { start = new { line = startLine, character = startCharacter }, end = new { line = endLine, character = endCharacter } }, text } },
        });
    }

    public Task ReplaceAllAsync(string path, string text)
    {
        var uri = new Uri(path).AbsoluteUri;
        versions[uri] = versions.GetValueOrDefault(uri) + 1;
        return rpc.NotifyWithParameterObjectAsync("textDocument/didChange", new
        {
            textDocument = new { uri, version = versions[uri] },
            contentChanges = new[] { new { text } },
        });
    }

    public Task CloseAsync(string path) =>
        rpc.NotifyWithParameterObjectAsync("textDocument/didClose", new { textDocument = new { uri = new Uri(path).AbsoluteUri } });

    public Task<JsonElement> HoverAsync(string path, int line, int character) =>
        rpc.InvokeWithParameterObjectAsync<JsonElement>("textDocument/hover", new
        {
            textDocument = new { uri = new Uri(path).AbsoluteUri },
            position = new { line, character },
        });

    public Task<JsonElement> CodeActionAsync(string path, JsonElement diagnostic)
    {
        var range = diagnostic.GetProperty("range");
        return rpc.InvokeWithParameterObjectAsync<JsonElement>("textDocument/codeAction", new
        {
            textDocument = new { uri = new Uri(path).AbsoluteUri },
            range,
            context = new { diagnostics = new[] { diagnostic } },
        });
    }

    public Task<JsonElement> ExecuteCommandAsync(JsonElement command) =>
        rpc.InvokeWithParameterObjectAsync<JsonElement>("workspace/executeCommand", new
        {
            command = command.GetProperty("command").GetString(),
            arguments = command.TryGetProperty("arguments", out var arguments) ? arguments : default(JsonElement?),
        });

    public Task<JsonElement> ExecuteCommandAsync(string command) =>
        rpc.InvokeWithParameterObjectAsync<JsonElement>("workspace/executeCommand", new { command, arguments = Array.Empty<object>() });

    public Task ChangeConfigurationAsync(object settings) =>
        rpc.NotifyWithParameterObjectAsync("workspace/didChangeConfiguration", new { settings });

    /// <summary>The last diagnostics published for the file (empty when none).</summary>
    public JsonElement[] DiagnosticsOf(string path) =>
        diagnostics.TryGetValue(new Uri(path).AbsoluteUri, out var list) ? [.. list.EnumerateArray()] : [];

    /// <summary>Waits until the file's last published diagnostics satisfy <paramref name="condition"/>.</summary>
    public async Task<JsonElement[]> WaitForDiagnosticsAsync(string path, Func<JsonElement[], bool> condition, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var current = DiagnosticsOf(path);
            if (diagnostics.ContainsKey(new Uri(path).AbsoluteUri) && condition(current))
            {
                return current;
            }

            try
            {
                await published.WaitAsync(TimeSpan.FromMilliseconds(50), cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                var text = string.Join("\n", current.Select(d => d.ToString()));
                throw new TimeoutException($"Diagnostics of {path} never matched. Last published:\n{text}\nMessages: {string.Join(" | ", Messages)}");
            }
        }
    }

    public async Task WaitForMessageAsync(Func<string, bool> condition, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (!Messages.Any(condition))
        {
            await Task.Delay(20, cancellation.Token);
        }
    }

    public async Task<int> ShutdownAsync()
    {
        await rpc.InvokeWithParameterObjectAsync<JsonElement?>("shutdown", null);
        await rpc.NotifyAsync("exit");
        return server is null ? 0 : await server.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        rpc.Dispose();
        if (server is not null)
        {
            try
            {
                await server.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception exception) when (exception is TimeoutException or ConnectionLostException or ObjectDisposedException)
            {
                // The pipe closed under it: that is how an editor going away looks.
            }
        }

        stop.Dispose();
    }

    /// <summary>What the server may call on the editor.</summary>
    private sealed class EditorMethods(LspClient client)
    {
        [JsonRpcMethod("textDocument/publishDiagnostics", UseSingleObjectParameterDeserialization = true)]
        public void PublishDiagnostics(JsonElement parameters) => client.OnPublish(parameters);

        [JsonRpcMethod("window/showMessage", UseSingleObjectParameterDeserialization = true)]
        public void ShowMessage(JsonElement parameters) => client.Messages.Enqueue(parameters.GetProperty("message").GetString()!);

        [JsonRpcMethod("window/showDocument", UseSingleObjectParameterDeserialization = true)]
        public object ShowDocument(JsonElement parameters)
        {
            client.ShownDocuments.Enqueue(parameters.Clone());
            return new { success = true };
        }
    }

    private void OnPublish(JsonElement parameters)
    {
        var uri = parameters.GetProperty("uri").GetString()!;
        var list = parameters.GetProperty("diagnostics").Clone();
        diagnostics[uri] = list;
        publications.Enqueue((uri, list));
        published.Release();
    }

    public static JsonNode? Node(JsonElement element) => JsonNode.Parse(element.GetRawText());
}
