using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using MailerQ.Www.Auth.Ldap.Ber;
using MailerQ.Www.Auth.Net;

namespace MailerQ.Www.Auth.Ldap;

/// <summary>
/// One TCP connection to a directory server for one login: optional TLS, then request/response pairs.
/// Not thread-safe; one login owns it and disposes it. Faults surface as <see cref="IOException"/>,
/// <see cref="SocketException"/>, <see cref="System.Security.Authentication.AuthenticationException"/>,
/// <see cref="InvalidDataException"/> (bad response) or <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class LdapConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private Stream _stream;
    private readonly byte[] _receive;
    private int _received;

    private LdapConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _receive = ArrayPool<byte>.Shared.Rent(LdapLimits.MaxResponseBytes + 8);
    }

    /// <summary>Connects to the first address of <paramref name="endpoint"/> that answers.</summary>
    public static async ValueTask<LdapConnection> ConnectAsync(HostPort endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // A dual-mode socket with a host name tries every address DNS returns, in order.
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken).ConfigureAwait(false);
            return new LdapConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Runs the TLS handshake over the connection (ldaps at once, or after StartTLS succeeded).</summary>
    public async ValueTask UpgradeToTlsAsync(SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        if (_received != 0)
            LdapThrowHelper.ThrowProtocol("data after the StartTLS response, before the TLS handshake");
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        _stream = tls;
    }

    /// <summary>Sends <paramref name="request"/> and reads the response with <paramref name="messageId"/>.</summary>
    public async ValueTask<LdapResponse> ExchangeAsync(ReadOnlyMemory<byte> request, int messageId, CancellationToken cancellationToken)
    {
        await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var response = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
        if (response.MessageId == 0)
        {
            // RFC 4511 §4.4.1 Notice of Disconnection: the server is closing; nothing else will come.
            LdapThrowHelper.ThrowProtocol($"server disconnected: {LdapResultCodes.Name(response.ResultCode)} {response.DiagnosticMessage}");
        }
        if (response.MessageId != messageId)
            LdapThrowHelper.ThrowProtocol("response for another message id");
        return response;
    }

    /// <summary>Sends bytes without waiting for an answer (UnbindRequest has none, RFC 4511 §4.3).</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<LdapResponse> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = LdapResponseDecoder.Decode(_receive.AsSpan(0, _received), out var response, out int consumed);
            switch (status)
            {
                case BerStatus.Done:
                    _received -= consumed;
                    _receive.AsSpan(consumed, _received).CopyTo(_receive);
                    return response;
                case BerStatus.Malformed:
                    LdapThrowHelper.ThrowProtocol("malformed response");
                    break;
                case BerStatus.TooLarge:
                    LdapThrowHelper.ThrowProtocol($"response larger than {LdapLimits.MaxResponseBytes} bytes");
                    break;
            }
            if (_received == _receive.Length)
                LdapThrowHelper.ThrowProtocol($"response larger than {LdapLimits.MaxResponseBytes} bytes");
            int read = await _stream.ReadAsync(_receive.AsMemory(_received), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                LdapThrowHelper.ThrowClosed();
            _received += read;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Closing a connection the server already reset: nothing to do.
        }
        _socket.Dispose();
        ArrayPool<byte>.Shared.Return(_receive, clearArray: true);
    }
}
