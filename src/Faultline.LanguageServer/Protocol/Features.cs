using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faultline.LanguageServer.Protocol;

internal enum DiagnosticSeverity
{
    Error = 1,
    Warning = 2,
    Information = 3,
    Hint = 4,
}

/// <summary>
/// A diagnostic. <see cref="Code"/> and <see cref="Data"/> are objects because a client sends back
/// other servers' diagnostics too (in a code action's context), whose codes may be numbers.
/// </summary>
internal sealed record Diagnostic(Range Range, DiagnosticSeverity? Severity, object? Code, string? Source, string Message, object? Data);

/// <summary>What a Faultline diagnostic carries in <c>data</c>.</summary>
internal sealed record DiagnosticData(
    [property: JsonPropertyName("incident_id")] string IncidentId,
    [property: JsonPropertyName("fingerprint")] string Fingerprint);

internal sealed record PublishDiagnosticsParams(string Uri, IReadOnlyList<Diagnostic> Diagnostics);

internal sealed record HoverParams(TextDocumentIdentifier TextDocument, Position Position);

internal sealed record Hover(MarkupContent Contents, Range? Range);

internal sealed record MarkupContent(string Kind, string Value);

internal sealed record CodeActionParams(TextDocumentIdentifier TextDocument, Range Range, CodeActionContext Context);

internal sealed record CodeActionContext(IReadOnlyList<Diagnostic> Diagnostics);

internal sealed record CodeAction(string Title, string Kind, IReadOnlyList<Diagnostic>? Diagnostics, Command Command);

internal sealed record Command(string Title, [property: JsonPropertyName("command")] string Name, IReadOnlyList<object>? Arguments);

internal sealed record ExecuteCommandParams(string Command, IReadOnlyList<JsonElement>? Arguments);

/// <summary>The argument of <c>faultline.resolve</c> and <c>faultline.openInDashboard</c>.</summary>
internal sealed record CommandTarget(
    [property: JsonPropertyName("uri")] string Uri,
    [property: JsonPropertyName("fingerprint")] string Fingerprint,
    [property: JsonPropertyName("incident_id")] string? IncidentId);

internal enum MessageType
{
    Error = 1,
    Warning = 2,
    Info = 3,
    Log = 4,
}

internal sealed record ShowMessageParams(MessageType Type, string Message);

internal sealed record ShowDocumentParams(string Uri, bool External, bool TakeFocus);

internal sealed record ShowDocumentResult(bool Success);

internal static class LspMethods
{
    public const string PublishDiagnostics = "textDocument/publishDiagnostics";
    public const string ShowMessage = "window/showMessage";
    public const string ShowDocument = "window/showDocument";
}

internal static class FaultlineCommands
{
    public const string Refresh = "faultline.refresh";
    public const string Resolve = "faultline.resolve";
    public const string OpenInDashboard = "faultline.openInDashboard";

    public static IReadOnlyList<string> All { get; } = [Refresh, Resolve, OpenInDashboard];

    public static CommandTarget? ReadTarget(IReadOnlyList<JsonElement>? arguments, JsonSerializerOptions options) =>
        arguments is [{ ValueKind: JsonValueKind.Object } first, ..] ? first.Deserialize<CommandTarget>(options) : null;
}
