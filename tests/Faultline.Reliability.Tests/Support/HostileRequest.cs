namespace Faultline.Reliability.Tests.Support;

/// <summary>One malformed request: through HttpClient (method, path, headers, body), or raw bytes on a socket.</summary>
internal sealed record HostileRequest(string Method, string Path, byte[]? Body = null, string? ContentType = "application/json")
{
    public List<(string Name, string Value)> Headers { get; init; } = [];

    public string? ContentEncoding { get; init; }

    /// <summary>Sent with Transfer-Encoding: chunked and no Content-Length.</summary>
    public bool Chunked { get; init; }

    /// <summary>When set, these bytes are the whole request, written over a socket.</summary>
    public byte[]? Raw { get; init; }

    /// <summary>The status code; 0 when the connection closed with no answer.</summary>
    public async Task<int> SendAsync(HttpClient client, Uri server, CancellationToken cancellationToken)
    {
        if (Raw is not null)
        {
            return await RawHttp.SendAsync(server, Raw, cancellationToken);
        }

        using var request = new HttpRequestMessage(new HttpMethod(Method), new Uri(server, Path));
        if (Body is not null)
        {
            request.Content = Chunked ? new StreamContent(new ChunkedOnly(Body)) : new ByteArrayContent(Body);
            // Unvalidated: the point is to send what a well-behaved client would not.
            request.Content.Headers.ContentType = null;
            if (ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }

            if (ContentEncoding is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Encoding", ContentEncoding);
            }
        }

        foreach (var (name, value) in Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    /// <summary>A stream of unknown length, so HttpClient sends it chunked.</summary>
    private sealed class ChunkedOnly(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }
}
