using System.Globalization;
using System.Text;

namespace Faultline.Server.Ingest;

/// <summary>
/// Makes client text storable: PostgreSQL refuses NUL in text and jsonb, and a lone UTF-16
/// surrogate cannot be encoded as UTF-8, so NULs are removed and lone surrogates become U+FFFD.
/// </summary>
internal static class TextCleaner
{
    public static string Clean(string value)
    {
        var index = FirstDirty(value);
        if (index < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        builder.Append(value, 0, index);
        for (var i = index; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                builder.Append('\uFFFD');
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Cleans, then cuts to <paramref name="maxLength"/> characters (not splitting a surrogate pair).</summary>
    public static string? CleanAndLimit(string? value, int maxLength, string field, List<string> truncated)
    {
        if (value is null)
        {
            return null;
        }

        value = Clean(value);
        if (value.Length <= maxLength)
        {
            return value;
        }

        truncated.Add(field);
        var cut = char.IsHighSurrogate(value[maxLength - 1]) ? maxLength - 1 : maxLength;
        return value[..cut];
    }

    /// <summary>
    /// JSON may escape a lone surrogate (<c>"\ud800"</c>: JavaScript's JSON.stringify writes one for a
    /// string cut mid-pair), but System.Text.Json throws when such a string is read. Rewrites each
    /// lone surrogate escape as <c>\ufffd</c> (the same length), in a copy; returns the input
    /// itself when there is none.
    /// </summary>
    public static ReadOnlyMemory<byte> ReplaceLoneSurrogateEscapes(ReadOnlyMemory<byte> json)
    {
        var span = json.Span;
        byte[]? copy = null;
        var i = span.IndexOf((byte)'\\');
        while (i >= 0 && i + 1 < span.Length)
        {
            if (span[i + 1] == (byte)'u' && TryReadHex(span, i + 2, out var unit) && char.IsSurrogate(unit))
            {
                if (char.IsHighSurrogate(unit) && span.Length >= i + 12 && span[i + 6] == (byte)'\\' && span[i + 7] == (byte)'u'
                    && TryReadHex(span, i + 8, out var low) && char.IsLowSurrogate(low))
                {
                    i += 12;
                }
                else
                {
                    copy ??= span.ToArray();
                    "ufffd"u8.CopyTo(copy.AsSpan(i + 1));
                    i += 6;
                }
            }
            else
            {
                // Any other escape is two characters long as far as backslashes are concerned ("\\", "\"", "\u0041").
                i += 2;
            }

            var next = i < span.Length ? span[i..].IndexOf((byte)'\\') : -1;
            i = next < 0 ? -1 : i + next;
        }

        return copy ?? json;
    }

    private static bool TryReadHex(ReadOnlySpan<byte> span, int start, out char unit)
    {
        if (span.Length >= start + 4
            && ushort.TryParse(span.Slice(start, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            unit = (char)value;
            return true;
        }

        unit = '\0';
        return false;
    }

    private static int FirstDirty(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return i;
            }

            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                return i;
            }
        }

        return -1;
    }
}
