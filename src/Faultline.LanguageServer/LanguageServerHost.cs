using System.Text.Json;
using System.Text.Json.Serialization;
using Faultline.LanguageServer.Handlers;
using Faultline.LanguageServer.Workspace;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.VisualStudio.Threading;
using StreamJsonRpc;

namespace Faultline.LanguageServer;

/// <summary>
/// <c>faultline lsp</c>: Language Server Protocol 3.17 over a pair of streams (stdin/stdout), with
/// StreamJsonRpc's header-delimited framing and System.Text.Json. Logs go to stderr.
/// </summary>
public static class LanguageServerHost
{
    /// <summary>Serves one client until it sends <c>exit</c> or closes the stream; 0 after a proper shutdown, else 1.</summary>
    public static Task<int> RunAsync(Stream input, Stream output, CancellationToken cancellationToken) =>
        RunAsync(input, output, server: null, cancellationToken);

    /// <summary>As <see cref="RunAsync(Stream, Stream, CancellationToken)"/>; <paramref name="server"/> (<c>--server</c>) is used when the editor's settings name none.</summary>
    public static async Task<int> RunAsync(Stream input, Stream output, string? server, CancellationToken cancellationToken)
    {
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("FAULTLINE_LOG_LEVEL"), ignoreCase: true, out var parsed)
            ? parsed
            : LogLevel.Information;
        using var loggerFactory = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.ColorBehavior = LoggerColorBehavior.Disabled;
            }));
        return await RunAsync(input, output, LanguageServerOptions.FromEnvironment(loggerFactory, server), cancellationToken);
    }

    internal static async Task<int> RunAsync(Stream input, Stream output, LanguageServerOptions options, CancellationToken cancellationToken)
    {
        var formatter = new SystemTextJsonFormatter
        {
            JsonSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web)
            {
                PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
                DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            },
        };
        using var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(output, input, formatter))
        {
            // Notifications (didOpen, didChange…) start in the order they arrive; awaits inside handlers still overlap.
            SynchronizationContext = new NonConcurrentSynchronizationContext(sticky: false),
        };
        var lifecycle = new Lifecycle();
        await using var workspace = new FaultlineWorkspace(rpc, options, formatter.JsonSerializerOptions);
        object[] handlers =
        [
            new InitializeHandler(workspace),
            new InitializedHandler(workspace),
            new ShutdownHandler(lifecycle),
            new ExitHandler(lifecycle),
            new DidOpenHandler(workspace),
            new DidChangeHandler(workspace, options),
            new DidCloseHandler(workspace),
            new DidChangeConfigurationHandler(workspace),
            new DidChangeWorkspaceFoldersHandler(workspace),
            new HoverHandler(workspace),
            new CodeActionHandler(workspace),
            new ExecuteCommandHandler(workspace, rpc),
        ];
        foreach (var handler in handlers)
        {
            rpc.AddLocalRpcTarget(handler, new JsonRpcTargetOptions { DisposeOnDisconnect = false });
        }

        rpc.StartListening();
        var cancelled = new TaskCompletionSource();
        await using (cancellationToken.Register(() => cancelled.TrySetResult()))
        {
            await Task.WhenAny(rpc.Completion, lifecycle.Exited, cancelled.Task);
        }

        return lifecycle.ShutdownRequested || cancellationToken.IsCancellationRequested ? 0 : 1;
    }
}
