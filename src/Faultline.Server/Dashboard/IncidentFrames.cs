using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Faultline.Contracts;
using Faultline.Core.StackTraces;

namespace Faultline.Server.Dashboard;

/// <summary>
/// The incident page's stack: the structured frames ingest kept (<c>metadata.frames</c>, with the
/// SDK's <c>in_app</c>), else the raw trace parsed and classified by Core. Newest first, each in-app
/// frame with a repository path linked to GitHub at the incident's commit and to the editor.
/// </summary>
internal static class IncidentFrames
{
    /// <summary>The VS Code extension (editors/vscode, publisher faultline-dev) receives <c>vscode://faultline-dev.faultline/open?…</c>.</summary>
    public const string EditorUriBase = "vscode://faultline-dev.faultline/open";

    public static IReadOnlyList<FrameView> For(Incident incident, string repository, string gitHubWebUrl)
    {
        var frames = FromMetadata(incident.Metadata)
            ?? IncidentLocator.Locate(new LocateRequest(incident.ErrorType, incident.ErrorMessage, incident.StackTrace, null, null, null, null, [])).Frames;
        var linkCommit = !Display.IsPlaceholderSha(incident.CommitSha);
        return [.. frames.Reverse().Select(frame =>
        {
            var inApp = frame.InApp ?? false;
            var path = inApp && IsRepositoryPath(frame.File) ? frame.File : null;
            return new FrameView(
                frame.File, frame.Line, frame.Column, frame.Function, inApp,
                path is not null && linkCommit ? GitHubBlobUrl(gitHubWebUrl, repository, incident.CommitSha, path, frame.Line) : null,
                path is not null ? EditorUrl(incident.IncidentId, path, frame.Line) : null);
        })];
    }

    public static string CommitUrl(string gitHubWebUrl, string repository, string sha) =>
        $"{gitHubWebUrl.TrimEnd('/')}/{repository}/commit/{sha}";

    public static string GitHubBlobUrl(string gitHubWebUrl, string repository, string sha, string path, int? line) =>
        $"{gitHubWebUrl.TrimEnd('/')}/{repository}/blob/{sha}/{string.Join('/', path.Split('/').Select(Uri.EscapeDataString))}"
        + (line is { } l ? $"#L{l}" : "");

    public static string EditorUrl(string incidentId, string path, int? line) =>
        $"{EditorUriBase}?incident={Uri.EscapeDataString(incidentId)}&path={Uri.EscapeDataString(path)}"
        + (line is { } l ? $"&line={l}" : "");

    /// <summary>The metadata as indented JSON for reading (the page HTML-encodes it), or null when there is none.</summary>
    public static string? FormatMetadata(JsonElement? metadata)
    {
        if (metadata is not { ValueKind: JsonValueKind.Object or JsonValueKind.Array } element)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A path relative to the repository root (what ingest stores), not a deployment or URL path.</summary>
    internal static bool IsRepositoryPath(string? file) =>
        file is { Length: > 0 } && file[0] != '/' && !file.Contains("://", StringComparison.Ordinal) && !file.Contains('\\', StringComparison.Ordinal)
        && !file.StartsWith("node:", StringComparison.Ordinal) && !(file.Length > 1 && file[1] == ':') && !file.Split('/').Contains("..");

    private static List<StackFrame>? FromMetadata(JsonElement? metadata)
    {
        if (metadata is not { ValueKind: JsonValueKind.Object } element
            || !element.TryGetProperty("frames", out var frames) || frames.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        return [.. frames.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.Object).Select(f => new StackFrame(
            Text(f, "file"), Number(f, "line"), Number(f, "column"), Text(f, "function"),
            f.TryGetProperty("in_app", out var inApp) && inApp.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? inApp.GetBoolean()
                : InAppClassifierFallback(Text(f, "file"))))];
    }

    private static bool InAppClassifierFallback(string? file) =>
        IncidentLocator.Locate(new LocateRequest(null, null, null, [new StackFrame(file, null, null, null)], null, null, null, [])).Frames is [{ InApp: true }];

    private static string? Text(JsonElement frame, string name) =>
        frame.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Number(JsonElement frame, string name) =>
        frame.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;
}
