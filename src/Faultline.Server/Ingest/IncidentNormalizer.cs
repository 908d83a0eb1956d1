using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Faultline.Core.Fingerprints;
using Faultline.Core.Identifiers;
using Faultline.Core.StackTraces;

namespace Faultline.Server.Ingest;

/// <summary>
/// Turns a draft into a storable incident: text cleaned and bounded (what was cut is listed in
/// <c>metadata.truncated</c>), frames trimmed from the middle, timestamps clamped (the original kept
/// in metadata), the location found through the project's code mappings, and the fingerprint.
/// </summary>
internal static class IncidentNormalizer
{
    public const int MaxMessageLength = 10_000;
    public const int MaxStackTraceLength = 256 * 1024;
    public const int MaxFingerprintParts = 20;
    public const int KeptOldestFrames = 50;
    public const int KeptNewestFrames = 200;
    public static readonly TimeSpan MaxFuture = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxPast = TimeSpan.FromDays(30);

    public static IncidentRecord Normalize(IncidentDraft draft, IngestProject project, DateTimeOffset now)
    {
        var truncated = new List<string>();
        var message = TextCleaner.CleanAndLimit(draft.ErrorMessage, MaxMessageLength, "error_message", truncated)!;
        var errorType = TextCleaner.CleanAndLimit(draft.ErrorType, 255, "error_type", truncated);
        var stackTrace = TextCleaner.CleanAndLimit(draft.StackTrace, MaxStackTraceLength, "stack_trace", truncated);
        var deploymentId = TextCleaner.CleanAndLimit(draft.DeploymentId, 255, "deployment_id", truncated);
        var explicitPath = TextCleaner.CleanAndLimit(draft.FilePath, 1024, "file_path", truncated);

        var frames = draft.Frames;
        var framesTrimmed = 0;
        if (frames is { Count: > KeptOldestFrames + KeptNewestFrames })
        {
            framesTrimmed = frames.Count - KeptOldestFrames - KeptNewestFrames;
            frames = [.. frames.Take(KeptOldestFrames), .. frames.Skip(frames.Count - KeptNewestFrames)];
        }

        frames = frames?.Select(f => f with
        {
            File = f.File is null ? null : TextCleaner.CleanAndLimit(f.File, 2048, "frames", truncated),
            Function = f.Function is null ? null : TextCleaner.CleanAndLimit(f.Function, 1024, "frames", truncated),
            Module = f.Module is null ? null : TextCleaner.CleanAndLimit(f.Module, 1024, "frames", truncated),
        }).ToList();

        var location = IncidentLocator.Locate(new LocateRequest(
            errorType, message, stackTrace, frames, explicitPath, draft.LineNumber, draft.ColumnNumber, project.CodeMappings));

        var filePath = location.FilePath;
        if (filePath is { Length: > 1024 })
        {
            filePath = filePath[..1024];
            truncated.Add("file_path");
        }

        var sdkFingerprint = draft.Fingerprint?.Take(MaxFingerprintParts).Select(p => TextCleaner.CleanAndLimit(p, 255, "fingerprint", truncated)!).ToList();
        var fingerprint = Fingerprinter.Compute(location.ErrorType ?? errorType, message, location.Frames, sdkFingerprint);

        var occurredAt = draft.OccurredAt;
        DateTimeOffset? originalOccurredAt = null;
        if (occurredAt is null)
        {
            occurredAt = now;
        }
        else if (occurredAt > now + MaxFuture || occurredAt < now - MaxPast)
        {
            originalOccurredAt = occurredAt;
            occurredAt = now;
        }

        var metadata = WriteMetadata(draft, location, truncated, framesTrimmed, originalOccurredAt);
        return new IncidentRecord(
            PublicIds.NewIncidentId(now),
            project.Id,
            draft.EventId ?? Guid.NewGuid(),
            message,
            location.ErrorType is { } type ? TextCleaner.CleanAndLimit(type, 255, "error_type", truncated) : errorType,
            stackTrace,
            filePath,
            location.LineNumber,
            location.ColumnNumber,
            draft.CommitSha,
            deploymentId,
            draft.Environment,
            occurredAt.Value.UtcDateTime,
            fingerprint,
            metadata);
    }

    private static string WriteMetadata(IncidentDraft draft, IncidentLocation location, List<string> truncated, int framesTrimmed, DateTimeOffset? originalOccurredAt)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            var ours = new HashSet<string>(StringComparer.Ordinal) { "truncated", "location_notes", "frames", "frames_trimmed", "original_occurred_at", "sentry" };
            if (draft.Metadata is { ValueKind: JsonValueKind.Object } metadata)
            {
                foreach (var property in metadata.EnumerateObject())
                {
                    var name = TextCleaner.Clean(property.Name);
                    if (ours.Contains(name))
                    {
                        continue;
                    }

                    writer.WritePropertyName(name);
                    WriteClean(writer, property.Value);
                }
            }

            if (truncated.Count > 0)
            {
                writer.WriteStartArray("truncated");
                foreach (var field in truncated.Distinct(StringComparer.Ordinal))
                {
                    writer.WriteStringValue(field);
                }

                writer.WriteEndArray();
            }

            if (location.Notes.Count > 0)
            {
                writer.WriteStartArray("location_notes");
                foreach (var note in location.Notes)
                {
                    writer.WriteStringValue(note);
                }

                writer.WriteEndArray();
            }

            if (framesTrimmed > 0)
            {
                writer.WriteNumber("frames_trimmed", framesTrimmed);
            }

            if (originalOccurredAt is { } original)
            {
                writer.WriteString("original_occurred_at", original.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            }

            // Structured frames carry what the text cannot (the SDK's in_app); a raw trace is kept as text only.
            if (draft.Frames is { Count: > 0 } && location.Frames.Count > 0)
            {
                writer.WriteStartArray("frames");
                foreach (var frame in location.Frames)
                {
                    writer.WriteStartObject();
                    writer.WriteString("file", frame.File);
                    WriteNumberOrNull(writer, "line", frame.Line);
                    WriteNumberOrNull(writer, "column", frame.Column);
                    writer.WriteString("function", frame.Function);
                    if (frame.InApp is { } inApp)
                    {
                        writer.WriteBoolean("in_app", inApp);
                    }
                    else
                    {
                        writer.WriteNull("in_app");
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            if (draft.Sentry is { Count: > 0 } sentry)
            {
                writer.WriteStartObject("sentry");
                foreach (var (name, value) in sentry)
                {
                    writer.WritePropertyName(name);
                    WriteClean(writer, value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Copies a JSON value, cleaning every string and property name on the way.</summary>
    internal static void WriteClean(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(TextCleaner.Clean(property.Name));
                    WriteClean(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteClean(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(TextCleaner.Clean(element.GetString()!));
                break;
            case JsonValueKind.Number:
                // jsonb's numeric refuses exponents beyond its range (1e999999): keep such literals as text.
                var literal = element.GetRawText();
                if (literal.Length <= 40 && element.TryGetDouble(out var number) && double.IsFinite(number))
                {
                    writer.WriteRawValue(literal, skipInputValidation: true);
                }
                else
                {
                    writer.WriteStringValue(literal);
                }

                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
