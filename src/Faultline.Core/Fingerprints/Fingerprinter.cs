using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Faultline.Core.StackTraces;

namespace Faultline.Core.Fingerprints;

/// <summary>
/// Groups incidents: the same bug keeps its fingerprint across deploys.
/// <list type="bullet">
/// <item>Default: the error type plus, for each in-app frame (the newest <see cref="MaxFrames"/>, consecutive
/// repeats from recursion collapsed), its file and normalised function. Never line or column numbers.
/// A file that could not be made repository-relative contributes only its file name.</item>
/// <item>Without a usable in-app frame: the error type plus the message with quoted values, UUIDs, hex strings,
/// ids and numbers replaced by placeholders (see <see cref="NormalizeMessage"/>).</item>
/// <item>An SDK fingerprint (Sentry's <c>fingerprint</c>) replaces this: its entries are hashed in order, and an
/// entry <c>{{ default }}</c> (any spacing or case) stands for the default inputs above.</item>
/// </list>
/// The result is lowercase hex SHA-256 (64 characters). Inputs are length-prefixed, so no two different
/// input lists hash the same text.
/// </summary>
public static partial class Fingerprinter
{
    /// <summary>In-app frames hashed, newest first kept.</summary>
    public const int MaxFrames = 50;

    /// <summary>Characters of a message looked at for the fallback.</summary>
    public const int MaxMessageChars = 1_000;

    /// <summary>Entries of an SDK fingerprint used, and characters of each.</summary>
    public const int MaxSdkEntries = 32;

    public const int MaxSdkEntryChars = 512;

    public static string Compute(
        string? errorType, string? errorMessage, IReadOnlyList<StackFrame> frames, IReadOnlyList<string>? sdkFingerprint)
    {
        var parts = new List<string> { "v1" };
        var used = 0;
        if (sdkFingerprint is not null)
        {
            foreach (var entry in sdkFingerprint)
            {
                if (used == MaxSdkEntries)
                {
                    break;
                }

                if (string.IsNullOrWhiteSpace(entry))
                {
                    continue;
                }

                used++;
                if (IsDefaultPlaceholder(entry))
                {
                    parts.AddRange(DefaultInputs(errorType, errorMessage, frames));
                }
                else
                {
                    parts.Add("sdk:" + Cut(entry, MaxSdkEntryChars));
                }
            }
        }

        if (used == 0)
        {
            parts.AddRange(DefaultInputs(errorType, errorMessage, frames));
        }

        return Hash(parts);
    }

    /// <summary>The default fingerprint's inputs, for tests and for showing users why incidents grouped.</summary>
    public static IReadOnlyList<string> DefaultInputs(string? errorType, string? errorMessage, IReadOnlyList<StackFrame>? frames)
    {
        var parts = new List<string> { "type:" + Cut(errorType?.Trim() ?? string.Empty, MaxSdkEntryChars) };
        var frameParts = new List<string>();
        if (frames is not null)
        {
            string? previous = null;
            for (var index = frames.Count - 1; index >= 0 && frameParts.Count < MaxFrames; index--)
            {
                var frame = frames[index];
                if (frame is null || !InAppClassifier.IsInApp(frame))
                {
                    continue;
                }

                var file = StableFile(frame.File);
                var function = NormalizeFunction(frame.Function);
                if (file.Length == 0 && function.Length == 0)
                {
                    continue;
                }

                var part = "frame:" + file + "|" + function;
                if (part != previous)
                {
                    frameParts.Add(part);
                    previous = part;
                }
            }
        }

        if (frameParts.Count > 0)
        {
            frameParts.Reverse();
            parts.AddRange(frameParts);
        }
        else
        {
            parts.Add("message:" + NormalizeMessage(errorMessage));
        }

        return parts;
    }

    /// <summary>
    /// The message with what varies between occurrences of one bug replaced: quoted values → <c>&lt;q&gt;</c>,
    /// UUIDs → <c>&lt;uuid&gt;</c>, hex (<c>0x1f</c>, 8+ hex digits) → <c>&lt;hex&gt;</c>, words with digits
    /// (<c>cart_123</c>, <c>usr8fJ2</c>) → <c>&lt;id&gt;</c>, numbers → <c>&lt;n&gt;</c>; whitespace collapsed.
    /// </summary>
    public static string NormalizeMessage(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return string.Empty;
        }

        var text = Cut(message, MaxMessageChars);
        text = Quoted().Replace(text, "<q>");
        text = Uuid().Replace(text, "<uuid>");
        text = Hex().Replace(text, "<hex>");
        text = WordWithDigits().Replace(text, "<id>");
        text = Number().Replace(text, "<n>");
        text = Whitespace().Replace(text, " ");
        return text.Trim();
    }

    /// <summary>
    /// A function name without what changes when unrelated code changes: parameter lists, sentry-dotnet's
    /// return type, compiler-generated ordinals (<c>&lt;Main&gt;b__0_1</c>, <c>d__15</c>,
    /// <c>DisplayClass5_0</c>, <c>lambda$run$3</c>, <c>func2</c>) and long digit runs (template hashes).
    /// </summary>
    public static string NormalizeFunction(string? function)
    {
        if (string.IsNullOrWhiteSpace(function))
        {
            return string.Empty;
        }

        var text = Cut(function.Trim(), MaxSdkEntryChars);
        if (!text.Contains("(*", StringComparison.Ordinal))
        {
            text = InAppClassifier.QualifiedName(text) ?? text;
        }

        text = CompilerOrdinal().Replace(text, "${name}");
        text = LongDigits().Replace(text, string.Empty);
        return text;
    }

    private static string StableFile(string? file)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return string.Empty;
        }

        var path = file.Replace('\\', '/');
        if (path.StartsWith('/') || path.Contains("://", StringComparison.Ordinal) || (path.Length > 1 && path[1] == ':'))
        {
            return path[(path.LastIndexOf('/') + 1)..];
        }

        return Cut(path, MaxSdkEntryChars);
    }

    private static bool IsDefaultPlaceholder(string entry) =>
        DefaultPlaceholder().IsMatch(entry);

    private static string Cut(string value, int length) => value.Length > length ? value[..length] : value;

    /// <summary>SHA-256 of <c>length:part\n</c> for each part, UTF-8 encoded into one pooled buffer.</summary>
    private static string Hash(List<string> parts)
    {
        var size = 0;
        foreach (var part in parts)
        {
            size += 10 + 1 + Encoding.UTF8.GetMaxByteCount(part.Length) + 1;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var written = 0;
            foreach (var part in parts)
            {
                part.Length.TryFormat(buffer.AsSpan(written), out var digits, default, CultureInfo.InvariantCulture);
                written += digits;
                buffer[written++] = (byte)':';
                // Lone surrogates become U+FFFD, so any string hashes.
                written += Encoding.UTF8.GetBytes(part, buffer.AsSpan(written));
                buffer[written++] = (byte)'\n';
            }

            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, written), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [GeneratedRegex(@"^\s*\{\{\s*default\s*\}\}\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DefaultPlaceholder();

    [GeneratedRegex(@"'[^'\n]{0,200}'|""[^""\n]{0,200}""|`[^`\n]{0,200}`|“[^”\n]{0,200}”|‘[^’\n]{0,200}’", RegexOptions.CultureInvariant)]
    private static partial Regex Quoted();

    [GeneratedRegex(@"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}", RegexOptions.CultureInvariant)]
    private static partial Regex Uuid();

    [GeneratedRegex(@"\b0[xX][0-9a-fA-F]+\b|\b(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{8,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex Hex();

    [GeneratedRegex(@"\b(?=[\w-]*[A-Za-z_])(?=[\w-]*\d)[\w-]*\w\b", RegexOptions.CultureInvariant)]
    private static partial Regex WordWithDigits();

    [GeneratedRegex(@"\d+(?:[.,]\d+)*", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"(?<name>__|_|\$|\.func|DisplayClass|\$lambda)\d+(?:_\d+)*", RegexOptions.CultureInvariant)]
    private static partial Regex CompilerOrdinal();

    [GeneratedRegex(@"\d{5,}", RegexOptions.CultureInvariant)]
    private static partial Regex LongDigits();
}
