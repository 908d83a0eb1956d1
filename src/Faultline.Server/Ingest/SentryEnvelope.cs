using System.Text.Json;

namespace Faultline.Server.Ingest;

/// <summary>One item of an envelope: its type and the bytes of its payload.</summary>
internal readonly record struct EnvelopeItem(string? Type, ReadOnlyMemory<byte> Payload);

/// <summary>
/// Sentry's envelope framing: a JSON header line, then items, each a JSON header line and a payload
/// of <c>length</c> bytes or, without <c>length</c>, up to the next newline.
/// </summary>
internal static class SentryEnvelope
{
    public static bool TryParse(ReadOnlyMemory<byte> body, JsonDocumentOptions options, out JsonDocument? header, out List<EnvelopeItem> items, out string? error)
    {
        items = [];
        header = null;
        error = null;
        var rest = body;
        var headerLine = NextLine(ref rest);
        try
        {
            header = System.Text.Unicode.Utf8.IsValid(headerLine.Span) ? JsonDocument.Parse(TextCleaner.ReplaceLoneSurrogateEscapes(headerLine), options) : null;
        }
        catch (JsonException)
        {
            error = "The envelope header is not valid JSON.";
            return false;
        }

        if (header is null || header.RootElement.ValueKind != JsonValueKind.Object)
        {
            error = "The envelope header must be a JSON object.";
            return false;
        }

        while (!rest.IsEmpty)
        {
            var itemHeaderLine = NextLine(ref rest);
            if (IsBlank(itemHeaderLine.Span))
            {
                continue;
            }

            string? type = null;
            long? length = null;
            if (!TryReadItemHeader(itemHeaderLine.Span, ref type, ref length))
            {
                error = $"Envelope item {items.Count + 1} has an invalid header.";
                return false;
            }

            ReadOnlyMemory<byte> payload;
            if (length is { } declared)
            {
                if (declared < 0 || declared > rest.Length)
                {
                    error = $"Envelope item {items.Count + 1} declares {declared} bytes but {rest.Length} remain.";
                    return false;
                }

                payload = rest[..(int)declared];
                rest = rest[(int)declared..];
                if (!rest.IsEmpty && rest.Span[0] == (byte)'\n')
                {
                    rest = rest[1..];
                }
            }
            else
            {
                payload = NextLine(ref rest);
            }

            items.Add(new EnvelopeItem(type, payload));
        }

        return true;
    }

    private static bool TryReadItemHeader(ReadOnlySpan<byte> line, ref string? type, ref long? length)
    {
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("length"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
                    {
                        length = value;
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        return false;
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return reader.TokenType == JsonTokenType.EndObject;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is not valid UTF-8.
            return false;
        }
    }

    private static ReadOnlyMemory<byte> NextLine(ref ReadOnlyMemory<byte> rest)
    {
        var newline = rest.Span.IndexOf((byte)'\n');
        ReadOnlyMemory<byte> line;
        if (newline < 0)
        {
            line = rest;
            rest = ReadOnlyMemory<byte>.Empty;
        }
        else
        {
            line = rest[..newline];
            rest = rest[(newline + 1)..];
        }

        return line.Span is [.., (byte)'\r'] ? line[..^1] : line;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept(" \t\r"u8) < 0;
}
