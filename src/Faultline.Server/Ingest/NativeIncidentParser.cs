using System.Text.Json;
using Faultline.Core.StackTraces;

namespace Faultline.Server.Ingest;

/// <summary>
/// Reads the native API's body: one incident object, or <c>{ "incidents": [ … up to 100 … ] }</c>.
/// Every field is type-checked; errors are keyed by field (<c>incidents[3].commit_sha</c> in a batch).
/// </summary>
internal static class NativeIncidentParser
{
    public const int MaxBatch = 100;

    public static (List<IncidentDraft> Drafts, DraftErrors Errors) Parse(JsonElement root)
    {
        var errors = new DraftErrors();
        var drafts = new List<IncidentDraft>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "must be an incident object or { \"incidents\": [ … ] }.");
            return (drafts, errors);
        }

        if (root.TryGetProperty("incidents", out var batch))
        {
            if (batch.ValueKind != JsonValueKind.Array)
            {
                errors.Add("incidents", "must be a list of incident objects.");
                return (drafts, errors);
            }

            var count = batch.GetArrayLength();
            if (count is 0 or > MaxBatch)
            {
                errors.Add("incidents", $"must hold between 1 and {MaxBatch} incidents (got {count}).");
                return (drafts, errors);
            }

            var index = 0;
            foreach (var item in batch.EnumerateArray())
            {
                drafts.Add(ParseOne(item, $"incidents[{index++}].", errors));
            }
        }
        else
        {
            drafts.Add(ParseOne(root, string.Empty, errors));
        }

        return (drafts, errors);
    }

    private static IncidentDraft ParseOne(JsonElement item, string prefix, DraftErrors errors)
    {
        var draft = new IncidentDraft();
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(prefix.TrimEnd('.'), "must be an incident object.");
            return draft;
        }

        string? message = null, commit = null;
        foreach (var property in item.EnumerateObject())
        {
            var field = prefix + property.Name;
            var value = property.Value;
            switch (property.Name)
            {
                case "event_id":
                    if (DraftFields.ReadString(value, field, errors) is { } eventId)
                    {
                        if (DraftFields.TryParseEventId(eventId, out var parsed))
                        {
                            draft.EventId = parsed;
                            draft.EventIdText = eventId;
                        }
                        else
                        {
                            errors.Add(field, "must be a UUID or 32 hexadecimal digits.");
                        }
                    }

                    break;
                case "error_message":
                    message = DraftFields.ReadString(value, field, errors);
                    break;
                case "error_type":
                    draft.ErrorType = DraftFields.ReadString(value, field, errors);
                    break;
                case "stack_trace":
                    draft.StackTrace = DraftFields.ReadString(value, field, errors);
                    break;
                case "frames":
                    draft.Frames = ReadFrames(value, field, errors);
                    break;
                case "file_path":
                    draft.FilePath = DraftFields.ReadString(value, field, errors);
                    break;
                case "line_number":
                    draft.LineNumber = DraftFields.ReadPositiveInt(value, field, errors);
                    break;
                case "column_number":
                    draft.ColumnNumber = DraftFields.ReadPositiveInt(value, field, errors);
                    break;
                case "commit_sha":
                    commit = DraftFields.ReadString(value, field, errors);
                    break;
                case "deployment_id":
                    draft.DeploymentId = DraftFields.ReadString(value, field, errors);
                    break;
                case "environment":
                    if (DraftFields.ReadString(value, field, errors) is { } environment)
                    {
                        if (DraftFields.NormalizeEnvironment(environment) is { } normalized)
                        {
                            draft.Environment = normalized;
                        }
                        else
                        {
                            errors.Add(field, "must be a short lowercase name such as production or preview (letters, digits, . _ -, at most 50).");
                        }
                    }

                    break;
                case "occurred_at":
                    if (value.ValueKind != JsonValueKind.Null)
                    {
                        if (value.ValueKind == JsonValueKind.String && DraftFields.TryParseTimestamp(value, out var occurredAt))
                        {
                            draft.OccurredAt = occurredAt;
                        }
                        else
                        {
                            errors.Add(field, "must be an RFC 3339 timestamp such as 2026-11-25T10:04:05.123Z.");
                        }
                    }

                    break;
                case "fingerprint":
                    draft.Fingerprint = DraftFields.ReadFingerprint(value, field, errors);
                    break;
                case "metadata":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        draft.Metadata = value;
                    }
                    else if (value.ValueKind != JsonValueKind.Null)
                    {
                        errors.Add(field, "must be a JSON object.");
                    }

                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(message))
        {
            if (!errors.Errors.ContainsKey(prefix + "error_message"))
            {
                errors.Add(prefix + "error_message", "is required.");
            }
        }
        else
        {
            draft.ErrorMessage = message;
        }

        if (commit is null)
        {
            if (!errors.Errors.ContainsKey(prefix + "commit_sha"))
            {
                errors.Add(prefix + "commit_sha", "is required: the full 40-hex SHA of the deployed commit.");
            }
        }
        else if (DraftFields.IsCommitSha(commit))
        {
            draft.CommitSha = commit.ToLowerInvariant();
        }
        else
        {
            errors.Add(prefix + "commit_sha", "must be the full 40-hex SHA of the deployed commit.");
        }

        return draft;
    }

    private static List<StackFrame>? ReadFrames(JsonElement value, string field, DraftErrors errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(field, "must be a list of frames, oldest first.");
            return null;
        }

        var frames = new List<StackFrame>(Math.Min(value.GetArrayLength(), 1024));
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var frameField = $"{field}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(frameField, "must be a frame object { file, line, column, function, in_app }.");
                return null;
            }

            string? file = null, function = null;
            int? line = null, column = null;
            bool? inApp = null;
            foreach (var property in item.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "file":
                        file = DraftFields.ReadString(property.Value, frameField + ".file", errors);
                        break;
                    case "function":
                        function = DraftFields.ReadString(property.Value, frameField + ".function", errors);
                        break;
                    case "line":
                        line = DraftFields.ReadPositiveInt(property.Value, frameField + ".line", errors);
                        break;
                    case "column":
                        column = DraftFields.ReadPositiveInt(property.Value, frameField + ".column", errors);
                        break;
                    case "in_app":
                        if (property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                        {
                            inApp = property.Value.GetBoolean();
                        }
                        else if (property.Value.ValueKind != JsonValueKind.Null)
                        {
                            errors.Add(frameField + ".in_app", "must be true or false.");
                        }

                        break;
                }
            }

            if (errors.Errors.Count > 50)
            {
                return null;
            }

            frames.Add(new StackFrame(file, line, column, function, inApp));
        }

        return frames;
    }
}
