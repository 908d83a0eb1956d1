using System.Buffers.Binary;
using System.Buffers.Text;

namespace Faultline.Server.Incidents;

/// <summary>
/// The opaque keyset cursor: the last row's sort key, as base64url of 8 bytes of PostgreSQL
/// microseconds since the Unix epoch and 16 bytes of a tie-breaker (the incident's row id, or for
/// groups the fingerprint's bytes). Rows inserted while a client pages never shift later pages.
/// </summary>
internal sealed record IncidentCursor(DateTimeOffset Time, byte[] Key)
{
    public static string Encode(DateTime time, ReadOnlySpan<byte> key)
    {
        var bytes = new byte[8 + key.Length];
        var microseconds = (time.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / 10;
        BinaryPrimitives.WriteInt64BigEndian(bytes, microseconds);
        key.CopyTo(bytes.AsSpan(8));
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string value, out IncidentCursor? cursor)
    {
        cursor = null;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(value);
        }
        catch (FormatException)
        {
            return false;
        }

        if (bytes.Length is < 9 or > 8 + 256)
        {
            return false;
        }

        var microseconds = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (microseconds is < 0 or > 253_402_300_799_000_000)
        {
            return false;
        }

        cursor = new IncidentCursor(new DateTimeOffset(DateTime.UnixEpoch.Ticks + (microseconds * 10), TimeSpan.Zero), bytes[8..]);
        return true;
    }

    public Guid? KeyAsGuid => Key.Length == 16 ? new Guid(Key, bigEndian: true) : null;
}
