using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Faultline.Reliability.Tests.Support;

/// <summary>
/// HTTP/1.1 written byte by byte over a socket, for what HttpClient refuses to send: CR or LF in
/// header values, obs-folds, conflicting framing headers, broken chunk sizes.
/// </summary>
internal static class RawHttp
{
    /// <summary>The status code of the answer; 0 when the server closed the connection without one.</summary>
    public static async Task<int> SendAsync(Uri server, byte[] request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(request, timeout.Token);
        }
        catch (IOException)
        {
            // The server may answer and close before reading everything; its answer is still there.
        }

        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
                if (received.Length >= 12 && Encoding.ASCII.GetString(received.GetBuffer(), 0, (int)received.Length).Contains("\r\n", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // A reset after the status line still leaves the status line.
        }

        var text = Encoding.ASCII.GetString(received.GetBuffer(), 0, (int)received.Length);
        return text.StartsWith("HTTP/1.", StringComparison.Ordinal) && text.Length >= 12
            && int.TryParse(text.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            ? status
            : 0;
    }
}
