using System.Security.Cryptography;
using System.Text;

namespace Faultline.Core.Identifiers;

/// <summary>
/// Secrets in the shape GitHub uses for its tokens: a prefix that secret scanners can match,
/// 32 base62 characters of randomness (190 bits) and a 6-character base62 checksum (32 bits of SHA-256), so a
/// mistyped or truncated secret is told apart from an unknown one without a database look-up.
/// Only <c>[A-Za-z0-9_]</c>, because Sentry SDKs reject other characters in a DSN's key.
/// </summary>
public static class SecretToken
{
    public const string IngestKeyPrefix = "fl_ingest_";
    public const string AccessTokenPrefix = "fl_at_";
    public const string RefreshTokenPrefix = "fl_rt_";

    private const int RandomLength = 32;
    private const int ChecksumLength = 6;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Generate(string prefix)
    {
        var random = RandomNumberGenerator.GetString(Alphabet, RandomLength);
        return prefix + random + Checksum(prefix + random);
    }

    /// <summary>True when <paramref name="token"/> has the prefix, the length, the alphabet and a valid checksum.</summary>
    public static bool IsWellFormed(string? token, string prefix)
    {
        if (token is null || token.Length != prefix.Length + RandomLength + ChecksumLength
            || !token.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var body = token.AsSpan(prefix.Length);
        foreach (var c in body)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return token.AsSpan(token.Length - ChecksumLength).SequenceEqual(Checksum(token[..^ChecksumLength]));
    }

    /// <summary>SHA-256 of the token, the only form in which the server stores session tokens.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Checksum(string value)
    {
        var crc = BitConverter.ToUInt32(SHA256.HashData(Encoding.ASCII.GetBytes(value)), 0);
        Span<char> chars = stackalloc char[ChecksumLength];
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(crc % 62)];
            crc /= 62;
        }

        return new string(chars);
    }
}
