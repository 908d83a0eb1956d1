using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Faultline.Contracts;

namespace Faultline.Server.Incidents;

/// <summary>A page of incidents as read: its rows, the cursor of the next page and its entity tag.</summary>
internal sealed record IncidentRowPage(IncidentPageBuffer Rows, string? NextCursor, string Tag) : IDisposable
{
    public void Dispose() => Rows.Dispose();
}

/// <summary>
/// The entity tag of a page of incidents, made from what identifies its rows and what can change in
/// them once stored (id, status, resolved_at) and the page size, not from the body: a stored
/// incident's other fields never change, so equal tags mean equal bodies, and a conditional request
/// can be answered 304 from a narrow read (<see cref="IncidentRow.VersionColumns"/>) without
/// reading or serialising the incidents. The leading version changes if the body's form ever does.
/// </summary>
internal static class IncidentPageTag
{
    private const byte Version = 1;

    public static string Compute(IncidentPageBuffer rows, IncidentListParameters filter)
    {
        // 1 version byte, 4 of page size, then per row 16 of id, 8 of resolved_at ticks, the status.
        var buffer = new byte[5 + (rows.Count * 32)];
        buffer[0] = Version;
        BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(1), filter.Limit);
        var length = 5;
        for (var index = 0; index < rows.Count; index++)
        {
            var row = rows[index];
            row.Id.TryWriteBytes(buffer.AsSpan(length), bigEndian: true, out _);
            BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(length + 16), row.ResolvedAt?.Ticks ?? -1);
            length += 24;
            var status = rows.Text(index, IncidentPageBuffer.Status, out _);
            status[..Math.Min(status.Length, 8)].CopyTo(buffer.AsSpan(length));
            length += Math.Min(status.Length, 8);
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer.AsSpan(0, length), hash);
        return "\"i" + Convert.ToBase64String(hash[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"";
    }
}

/// <summary>
/// Writes a page of incidents straight from the bytes PostgreSQL sent to the response: the same
/// JSON as serialising <see cref="IncidentPage"/> with <see cref="IncidentsJsonContext"/> (a test
/// holds the two together), without building strings, the contract objects or the whole body in
/// memory first. Returns the page's buffer when done.
/// </summary>
internal sealed class IncidentPageResult(IncidentRowPage page) : IResult
{
    private const int FlushThreshold = 64 * 1024;

    /// <summary>
    /// Escapes only what JSON requires (quotes, backslashes, control characters) and not, as the
    /// default encoder does, every <c>&lt;</c>, <c>+</c>, <c>'</c> and non-ASCII character: stack traces are
    /// full of them, and escaping them one by one was the largest cost of a page. The body is
    /// <c>application/json</c>, never inlined into HTML (the dashboard encodes what it renders).
    /// </summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>What a JSON string must escape: quotation mark, reverse solidus, control characters (all ASCII, so never part of a longer UTF-8 sequence).</summary>
    private static readonly SearchValues<byte> MustEscape = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"u8 +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"u8);

    private static readonly JsonEncodedText IncidentsName = JsonEncodedText.Encode("incidents");
    private static readonly JsonEncodedText NextCursorName = JsonEncodedText.Encode("next_cursor");
    private static readonly JsonEncodedText IncidentIdName = JsonEncodedText.Encode("incident_id");
    private static readonly JsonEncodedText ProjectIdName = JsonEncodedText.Encode("project_id");
    private static readonly JsonEncodedText ErrorMessageName = JsonEncodedText.Encode("error_message");
    private static readonly JsonEncodedText ErrorTypeName = JsonEncodedText.Encode("error_type");
    private static readonly JsonEncodedText StackTraceName = JsonEncodedText.Encode("stack_trace");
    private static readonly JsonEncodedText FilePathName = JsonEncodedText.Encode("file_path");
    private static readonly JsonEncodedText LineNumberName = JsonEncodedText.Encode("line_number");
    private static readonly JsonEncodedText ColumnNumberName = JsonEncodedText.Encode("column_number");
    private static readonly JsonEncodedText CommitShaName = JsonEncodedText.Encode("commit_sha");
    private static readonly JsonEncodedText DeploymentIdName = JsonEncodedText.Encode("deployment_id");
    private static readonly JsonEncodedText EnvironmentName = JsonEncodedText.Encode("environment");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText OccurredAtName = JsonEncodedText.Encode("occurred_at");
    private static readonly JsonEncodedText CreatedAtName = JsonEncodedText.Encode("created_at");
    private static readonly JsonEncodedText ResolvedAtName = JsonEncodedText.Encode("resolved_at");
    private static readonly JsonEncodedText FingerprintName = JsonEncodedText.Encode("fingerprint");
    private static readonly JsonEncodedText MetadataName = JsonEncodedText.Encode("metadata");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using (page)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json";
            var pipe = response.BodyWriter;
            await using var writer = new Utf8JsonWriter(pipe, WriterOptions);
            WriteStart(writer);
            for (var row = 0; row < page.Rows.Count; row++)
            {
                WriteIncident(writer, page.Rows, row);
                if (writer.BytesPending >= FlushThreshold)
                {
                    writer.Flush();
                    await pipe.FlushAsync(httpContext.RequestAborted);
                }
            }

            WriteEnd(writer, page.NextCursor);
            writer.Flush();
            await pipe.FlushAsync(httpContext.RequestAborted);
        }
    }

    private static void WriteStart(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(IncidentsName);
    }

    private static void WriteEnd(Utf8JsonWriter writer, string? nextCursor)
    {
        writer.WriteEndArray();
        writer.WriteString(NextCursorName, nextCursor);
        writer.WriteEndObject();
    }

    private static void WriteIncident(Utf8JsonWriter writer, IncidentPageBuffer rows, int index)
    {
        var row = rows[index];
        writer.WriteStartObject();
        WriteText(writer, IncidentIdName, rows, index, IncidentPageBuffer.IncidentId);
        WriteText(writer, ProjectIdName, rows, index, IncidentPageBuffer.ProjectId);
        WriteText(writer, ErrorMessageName, rows, index, IncidentPageBuffer.ErrorMessage);
        WriteText(writer, ErrorTypeName, rows, index, IncidentPageBuffer.ErrorType);
        WriteText(writer, StackTraceName, rows, index, IncidentPageBuffer.StackTrace);
        WriteText(writer, FilePathName, rows, index, IncidentPageBuffer.FilePath);
        WriteNumber(writer, LineNumberName, row.LineNumber);
        WriteNumber(writer, ColumnNumberName, row.ColumnNumber);
        WriteText(writer, CommitShaName, rows, index, IncidentPageBuffer.CommitSha);
        WriteText(writer, DeploymentIdName, rows, index, IncidentPageBuffer.DeploymentId);
        WriteText(writer, EnvironmentName, rows, index, IncidentPageBuffer.Environment);
        WriteText(writer, StatusName, rows, index, IncidentPageBuffer.Status);
        WriteTimestamp(writer, OccurredAtName, row.OccurredAt);
        WriteTimestamp(writer, CreatedAtName, row.CreatedAt);
        WriteTimestamp(writer, ResolvedAtName, row.ResolvedAt);
        WriteText(writer, FingerprintName, rows, index, IncidentPageBuffer.Fingerprint);
        var metadata = rows.Text(index, IncidentPageBuffer.Metadata, out var noMetadata);
        writer.WritePropertyName(MetadataName);
        if (noMetadata)
        {
            writer.WriteNullValue();
        }
        else
        {
            // PostgreSQL's text of a jsonb value is valid JSON (with a space after each ':' and ','):
            // written as it is, not parsed and written again.
            writer.WriteRawValue(metadata, skipInputValidation: true);
        }

        writer.WriteEndObject();
    }

    private static void WriteText(Utf8JsonWriter writer, JsonEncodedText name, IncidentPageBuffer rows, int row, int field)
    {
        var text = rows.Text(row, field, out var isNull);
        if (isNull)
        {
            writer.WriteNull(name);
        }
        else
        {
            WriteString(writer, name, text);
        }
    }

    /// <summary>
    /// A string property from UTF-8 text. Text with nothing to escape goes through the writer; text
    /// with something to escape (every stack trace: a newline per frame) is escaped here run by run,
    /// with a vectorised search for the next byte to escape, because the writer escapes everything
    /// after the first such character one character at a time.
    /// </summary>
    internal static void WriteString(Utf8JsonWriter writer, JsonEncodedText name, ReadOnlySpan<byte> text)
    {
        var next = text.IndexOfAny(MustEscape);
        if (next < 0)
        {
            writer.WriteString(name, text);
            return;
        }

        // At most 6 bytes (\u00XX) for a byte that is escaped, and the rest as it is.
        var buffer = ArrayPool<byte>.Shared.Rent(2 + (text.Length * 6));
        try
        {
            var length = 0;
            buffer[length++] = (byte)'"';
            while (true)
            {
                var run = next < 0 ? text : text[..next];
                run.CopyTo(buffer.AsSpan(length));
                length += run.Length;
                if (next < 0)
                {
                    break;
                }

                length += Escape((char)text[next], buffer.AsSpan(length));
                text = text[(next + 1)..];
                next = text.IndexOfAny(MustEscape);
            }

            buffer[length++] = (byte)'"';
            writer.WritePropertyName(name);
            writer.WriteRawValue(buffer.AsSpan(0, length), skipInputValidation: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int Escape(char character, Span<byte> destination)
    {
        destination[0] = (byte)'\\';
        var shortForm = character switch
        {
            '"' => '"',
            '\\' => '\\',
            '\n' => 'n',
            '\r' => 'r',
            '\t' => 't',
            '\b' => 'b',
            '\f' => 'f',
            _ => '\0',
        };
        if (shortForm != '\0')
        {
            destination[1] = (byte)shortForm;
            return 2;
        }

        destination[1] = (byte)'u';
        destination[2] = (byte)'0';
        destination[3] = (byte)'0';
        destination[4] = (byte)"0123456789abcdef"[character >> 4];
        destination[5] = (byte)"0123456789abcdef"[character & 0xF];
        return 6;
    }

    private static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText name, int? value)
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

    private static void WriteTimestamp(Utf8JsonWriter writer, JsonEncodedText name, DateTime? value)
    {
        if (value is not { } time)
        {
            writer.WriteNull(name);
            return;
        }

        // UtcTimestampConverter.Format (yyyy-MM-ddTHH:mm:ss.fffZ), digit by digit: each part, then what follows it.
        ReadOnlySpan<(int Value, int Width, char Then)> parts =
        [
            (time.Year, 4, '-'), (time.Month, 2, '-'), (time.Day, 2, 'T'),
            (time.Hour, 2, ':'), (time.Minute, 2, ':'), (time.Second, 2, '.'), (time.Millisecond, 3, 'Z'),
        ];
        Span<byte> text = stackalloc byte[24];
        var length = 0;
        foreach (var (part, width, then) in parts)
        {
            Digits(text.Slice(length, width), part);
            text[length + width] = (byte)then;
            length += width + 1;
        }

        writer.WriteString(name, text);
    }

    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
