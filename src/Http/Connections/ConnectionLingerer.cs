using System.Net.Sockets;

namespace MailerQ.Www.Http.Connections;

/// <summary>
/// Closes sockets without destroying the last response. Closing a socket that still has unread input
/// makes the kernel send a reset, and a reset can overtake the response the peer has not read yet
/// (a 400 after a malformed request, a 503 at the connection cap). So: half-close our side, discard
/// what the peer still sends for a short, bounded time, then close.
/// </summary>
internal sealed class ConnectionLingerer
{
    private static readonly TimeSpan LingerTime = TimeSpan.FromSeconds(1);
    private const int MaxDiscardBytes = 64 * 1024;
    private const int MaxConcurrent = 1024;

    // Content is thrown away, so every lingering socket may share one buffer.
    private readonly byte[] _discard = new byte[4096];
    private int _lingering;

    public async ValueTask LingerAndCloseAsync(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            socket.Dispose();
            return;
        }

        if (Interlocked.Increment(ref _lingering) > MaxConcurrent)
        {
            Interlocked.Decrement(ref _lingering);
            socket.Dispose();
            return;
        }
        try
        {
            using var timeout = new CancellationTokenSource(LingerTime);
            int total = 0;
            while (total < MaxDiscardBytes)
            {
                int n = await socket.ReceiveAsync(_discard, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (n == 0) break;
                total += n;
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _lingering);
            socket.Dispose();
        }
    }
}
