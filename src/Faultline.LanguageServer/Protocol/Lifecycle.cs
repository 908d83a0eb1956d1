using System.Text.Json;

namespace Faultline.LanguageServer.Protocol;

// Hand-written records for the LSP 3.17 messages Faultline uses; names become camelCase on the wire.

internal sealed record InitializeParams(
    int? ProcessId,
    string? RootUri,
    IReadOnlyList<WorkspaceFolder>? WorkspaceFolders,
    JsonElement? InitializationOptions);

internal sealed record WorkspaceFolder(string Uri, string Name);

internal sealed record InitializeResult(ServerCapabilities Capabilities, ServerInfo ServerInfo);

internal sealed record ServerInfo(string Name, string? Version);

internal sealed record ServerCapabilities(
    TextDocumentSyncOptions TextDocumentSync,
    bool HoverProvider,
    CodeActionOptions CodeActionProvider,
    ExecuteCommandOptions ExecuteCommandProvider,
    WorkspaceServerCapabilities Workspace);

internal sealed record TextDocumentSyncOptions(bool OpenClose, TextDocumentSyncKind Change);

internal enum TextDocumentSyncKind
{
    None = 0,
    Full = 1,
    Incremental = 2,
}

internal sealed record CodeActionOptions(IReadOnlyList<string> CodeActionKinds);

internal sealed record ExecuteCommandOptions(IReadOnlyList<string> Commands);

internal sealed record WorkspaceServerCapabilities(WorkspaceFoldersServerCapabilities WorkspaceFolders);

internal sealed record WorkspaceFoldersServerCapabilities(bool Supported, bool ChangeNotifications);

internal sealed record DidChangeConfigurationParams(JsonElement? Settings);

internal sealed record DidChangeWorkspaceFoldersParams(WorkspaceFoldersChangeEvent Event);

internal sealed record WorkspaceFoldersChangeEvent(IReadOnlyList<WorkspaceFolder> Added, IReadOnlyList<WorkspaceFolder> Removed);
