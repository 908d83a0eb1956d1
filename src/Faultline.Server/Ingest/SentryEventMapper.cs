using System.Globalization;
using System.Text;
using System.Text.Json;
using Faultline.Core.StackTraces;

namespace Faultline.Server.Ingest;

/// <summary>
/// A Sentry event (an envelope's <c>event</c> item or a <c>/store/</c> body) as an incident draft:
/// the primary exception's type, value and frames; the commit from the release or tags; the
/// deployment from tags; the environment with Vercel's names mapped.
/// </summary>
internal static class SentryEventMapper
{
    public const string MissingCommitDetail =
        "The event carries no commit SHA. Set the SDK's release to the deployed commit's full SHA " +
        "(on Vercel: release: process.env.VERCEL_GIT_COMMIT_SHA; elsewhere e.g. release: \"app@<sha>\"), " +
        "or add a commit_sha tag.";

    private static readonly string[] CommitTags = ["commit_sha", "vercel.git_commit_sha", "git_commit_sha", "commit"];
    private static readonly string[] DeploymentTags = ["vercel.deployment_id", "deployment_id", "deployment"];
    private static readonly string[] KeptFields = ["platform", "level", "release", "dist", "logger", "server_name", "transaction", "tags", "sdk"];

    /// <summary>Maps the event, or says why it cannot be stored (the only reason is a missing commit).</summary>
    public static (IncidentDraft? Draft, string? Error) Map(JsonElement evt, Guid? envelopeEventId)
    {
        if (evt.ValueKind != JsonValueKind.Object)
        {
            return (null, "The event must be a JSON object.");
        }

        var draft = new IncidentDraft { EventId = envelopeEventId };
        if (draft.EventId is null && Str(evt, "event_id") is { } itemEventId && DraftFields.TryParseEventId(itemEventId, out var parsed))
        {
            draft.EventId = parsed;
        }

        var tags = ReadTags(evt);
        var commit = DraftFields.CommitFromRelease(Str(evt, "release"));
        commit ??= CommitTags.Select(t => tags.GetValueOrDefault(t)).FirstOrDefault(v => v is not null && DraftFields.IsCommitSha(v))?.ToLowerInvariant();
        if (commit is null)
        {
            return (null, MissingCommitDetail);
        }

        draft.CommitSha = commit;
        draft.DeploymentId = DeploymentTags.Select(t => tags.GetValueOrDefault(t)).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        if (Str(evt, "environment") is { } environment)
        {
            draft.Environment = DraftFields.NormalizeEnvironment(environment) ?? "production";
        }

        if (evt.TryGetProperty("timestamp", out var timestamp) && DraftFields.TryParseTimestamp(timestamp, out var occurredAt))
        {
            draft.OccurredAt = occurredAt;
        }

        if (evt.TryGetProperty("fingerprint", out var fingerprint))
        {
            draft.Fingerprint = DraftFields.ReadFingerprint(fingerprint, "fingerprint", new DraftErrors());
        }

        ReadException(evt, draft);
        draft.Sentry = [];
        foreach (var field in KeptFields)
        {
            if (evt.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                draft.Sentry[field] = value;
            }
        }

        return (draft, null);
    }

    private static void ReadException(JsonElement evt, IncidentDraft draft)
    {
        JsonElement? primary = null;
        JsonElement? withFrames = null;
        if (evt.TryGetProperty("exception", out var exception))
        {
            var values = exception.ValueKind == JsonValueKind.Object && exception.TryGetProperty("values", out var v) ? v : exception;
            if (values.ValueKind == JsonValueKind.Array)
            {
                // Chained exceptions are oldest first: the last one is the exception that was raised.
                foreach (var value in values.EnumerateArray())
                {
                    if (value.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    primary = value;
                    if (Frames(value) is not null)
                    {
                        withFrames = value;
                    }
                }
            }
        }

        var message = Message(evt);
        if (primary is { } main)
        {
            draft.ErrorType = Str(main, "type");
            draft.ErrorMessage = Str(main, "value") ?? message ?? draft.ErrorType ?? "(no message)";
            var frames = Frames(main) ?? (withFrames is { } other ? Frames(other) : null);
            if (frames is { } array)
            {
                draft.Frames = ReadFrames(array);
                draft.StackTrace = RenderStackTrace(draft.ErrorType, draft.ErrorMessage, draft.Frames);
            }
        }
        else
        {
            draft.ErrorMessage = message ?? "(no message)";
        }

        if (string.IsNullOrWhiteSpace(draft.ErrorMessage))
        {
            draft.ErrorMessage = draft.ErrorType ?? "(no message)";
        }
    }

    private static JsonElement? Frames(JsonElement exception) =>
        exception.TryGetProperty("stacktrace", out var stacktrace) && stacktrace.ValueKind == JsonValueKind.Object
        && stacktrace.TryGetProperty("frames", out var frames) && frames.ValueKind == JsonValueKind.Array && frames.GetArrayLength() > 0
            ? frames
            : null;

    private static List<StackFrame> ReadFrames(JsonElement frames)
    {
        var list = new List<StackFrame>(Math.Min(frames.GetArrayLength(), 1024));
        foreach (var frame in frames.EnumerateArray())
        {
            if (frame.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            // abs_path is the path on the machine that ran the code; sentry-dotnet's filename is
            // relative to the .NET project, not to the repository.
            var file = Str(frame, "abs_path") ?? Str(frame, "filename");
            bool? inApp = frame.TryGetProperty("in_app", out var flag) && flag.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? flag.GetBoolean()
                : null;
            list.Add(new StackFrame(file, Int(frame, "lineno"), Int(frame, "colno"), Str(frame, "function"), inApp, Str(frame, "module")));
        }

        return list;
    }

    /// <summary>A readable trace for the stack_trace column, newest frame first as runtimes print them.</summary>
    private static string RenderStackTrace(string? type, string message, List<StackFrame> frames)
    {
        var builder = new StringBuilder();
        builder.Append(type is null ? message : $"{type}: {message}");
        for (var i = frames.Count - 1; i >= 0 && builder.Length < IncidentNormalizer.MaxStackTraceLength; i--)
        {
            var frame = frames[i];
            builder.Append("\n    at ").Append(frame.Function ?? "<anonymous>").Append(" (").Append(frame.File ?? "<unknown>");
            if (frame.Line is { } line)
            {
                builder.Append(':').Append(line.ToString(CultureInfo.InvariantCulture));
                if (frame.Column is { } column)
                {
                    builder.Append(':').Append(column.ToString(CultureInfo.InvariantCulture));
                }
            }

            builder.Append(')');
        }

        return builder.ToString();
    }

    private static string? Message(JsonElement evt)
    {
        foreach (var name in (string[])["message", "logentry"])
        {
            if (!evt.TryGetProperty(name, out var message))
            {
                continue;
            }

            if (message.ValueKind == JsonValueKind.String)
            {
                return message.GetString();
            }

            if (message.ValueKind == JsonValueKind.Object && (Str(message, "formatted") ?? Str(message, "message")) is { } text)
            {
                return text;
            }
        }

        return null;
    }

    /// <summary>Tags come as an object or as a list of [key, value] pairs.</summary>
    private static Dictionary<string, string> ReadTags(JsonElement evt)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!evt.TryGetProperty("tags", out var element))
        {
            return tags;
        }

        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var tag in element.EnumerateObject())
            {
                if (tag.Value.ValueKind == JsonValueKind.String)
                {
                    tags[tag.Name] = tag.Value.GetString()!;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var pair in element.EnumerateArray())
            {
                if (pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2
                    && pair[0].ValueKind == JsonValueKind.String && pair[1].ValueKind == JsonValueKind.String)
                {
                    tags[pair[0].GetString()!] = pair[1].GetString()!;
                }
            }
        }

        return tags;
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number > 0
            ? number
            : null;
}
