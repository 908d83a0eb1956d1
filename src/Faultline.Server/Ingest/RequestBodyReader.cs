using System.Buffers;
using System.IO.Compression;

namespace Faultline.Server.Ingest;

/// <summary>Why a body could not be read; each maps to one 4xx.</summary>
internal enum BodyError
{
    None,
    TooLarge,
    DecompressedTooLarge,
    BadEncoding,
    UnsupportedEncoding,
    Malformed,
}

/// <summary>
/// Reads a request body into memory within bounds, decompressing gzip, deflate (zlib or raw) and
/// br while streaming: the wire size is capped at MaxBodyBytes and the decompressed size at
/// MaxDecompressedBytes, so a small gzip that expands to gigabytes costs neither memory nor a 500.
/// </summary>
internal static class RequestBodyReader
{
    public static async Task<(byte[]? Body, int Length, BodyError Error)> ReadAsync(HttpRequest request, IngestOptions options, CancellationToken cancellationToken)
    {
        if (request.ContentLength > options.MaxBodyBytes)
        {
            return (null, 0, BodyError.TooLarge);
        }

        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        var counted = new LimitedStream(request.Body, options.MaxBodyBytes);
        Stream source;
        switch (encoding)
        {
            case "" or "identity":
                source = counted;
                break;
            case "gzip" or "x-gzip":
                source = new GZipStream(counted, CompressionMode.Decompress);
                break;
            case "deflate":
                source = await OpenDeflateAsync(counted, cancellationToken);
                break;
            case "br":
                source = new BrotliStream(counted, CompressionMode.Decompress);
                break;
            default:
                return (null, 0, BodyError.UnsupportedEncoding);
        }

        var limit = source == counted ? options.MaxBodyBytes : options.MaxDecompressedBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await source.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, 0, source == counted ? BodyError.TooLarge : BodyError.DecompressedTooLarge);
                }
            }

            return (buffer, length, BodyError.None);
        }
        catch (LimitExceededException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, 0, BodyError.TooLarge);
        }
        catch (InvalidDataException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, 0, BodyError.BadEncoding);
        }
        catch (Exception exception) when (exception is EndOfStreamException || (exception is InvalidOperationException && source is BrotliStream))
        {
            // BrotliStream reports corrupt data as InvalidOperationException ("Decoder ran into invalid data").
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, 0, BodyError.BadEncoding);
        }
        catch (IOException)
        {
            // Kestrel reports some broken chunked framing (a chunk size that overflows) as a plain
            // IOException, not a BadHttpRequestException; an aborted upload ends here too.
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, 0, BodyError.Malformed);
        }
        finally
        {
            if (source != counted)
            {
                await source.DisposeAsync();
            }
        }
    }

    public static void Return(byte[]? body)
    {
        if (body is not null)
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    /// <summary>HTTP "deflate" is zlib-wrapped, but some clients send raw deflate: look at the first byte.</summary>
    private static async Task<Stream> OpenDeflateAsync(LimitedStream counted, CancellationToken cancellationToken)
    {
        var first = new byte[1];
        var read = await counted.ReadAsync(first, cancellationToken);
        var rest = new PrefixedStream(read == 1 ? first : [], counted);
        var zlib = read == 1 && (first[0] & 0x0F) == 8;
        return zlib ? new ZLibStream(rest, CompressionMode.Decompress) : new DeflateStream(rest, CompressionMode.Decompress);
    }

    private sealed class LimitExceededException : Exception;

    /// <summary>Counts the bytes read from the wire and stops at the limit.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long total;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => total; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            total += read;
            if (total > limit)
            {
                throw new LimitExceededException();
            }

            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A stream with a few bytes already read put back in front.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
    {
        private int position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (position < prefix.Length)
            {
                var count = Math.Min(buffer.Length, prefix.Length - position);
                prefix.AsMemory(position, count).CopyTo(buffer);
                position += count;
                return count;
            }

            return await inner.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
