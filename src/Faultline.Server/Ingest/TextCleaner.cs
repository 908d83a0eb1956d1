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
