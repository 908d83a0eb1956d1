using System.Security.Cryptography;

namespace Faultline.Core.Identifiers;

/// <summary>Public identifiers: <c>proj_</c> + 12 lowercase base32 characters, <c>inc_</c> + a ULID.</summary>
public static class PublicIds
{
    public const string ProjectPrefix = "proj_";
    public const string IncidentPrefix = "inc_";

    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string NewProjectId() => ProjectPrefix + RandomNumberGenerator.GetString(Base32, 12);

    /// <summary><c>inc_</c> + a ULID: 48 bits of milliseconds then 80 random bits, so ids sort by creation time.</summary>
    public static string NewIncidentId(DateTimeOffset now) => IncidentPrefix + NewUlid(now);

    public static string NewUlid(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        var milliseconds = (ulong)now.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)milliseconds;
            milliseconds >>= 8;
        }

        RandomNumberGenerator.Fill(bytes[6..]);
        return EncodeCrockford(bytes);
    }

    public static bool IsProjectId(string? value) =>
        value is { Length: 17 } && value.StartsWith(ProjectPrefix, StringComparison.Ordinal)
        && value.AsSpan(ProjectPrefix.Length).IndexOfAnyExcept(Base32) < 0;

    public static bool IsIncidentId(string? value) =>
        value is { Length: 30 } && value.StartsWith(IncidentPrefix, StringComparison.Ordinal)
        && value.AsSpan(IncidentPrefix.Length).IndexOfAnyExcept(Crockford) < 0;

    /// <summary>128 bits as 26 Crockford base32 characters (the first carries 3 bits).</summary>
    private static string EncodeCrockford(ReadOnlySpan<byte> bytes)
    {
        var value = new UInt128(
            BitConverter.ToUInt64([bytes[7], bytes[6], bytes[5], bytes[4], bytes[3], bytes[2], bytes[1], bytes[0]]),
            BitConverter.ToUInt64([bytes[15], bytes[14], bytes[13], bytes[12], bytes[11], bytes[10], bytes[9], bytes[8]]));
        Span<char> chars = stackalloc char[26];
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Crockford[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }
}
