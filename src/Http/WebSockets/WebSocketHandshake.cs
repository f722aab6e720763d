using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using MailerQ.Www.Http.Parsing;
using MailerQ.Www.Http.Responses;

namespace MailerQ.Www.Http.WebSockets;

/// <summary>
/// The server side of the opening handshake (RFC 6455 §4.2): validates the client's request, computes
/// <c>Sec-WebSocket-Accept</c> without strings, writes the 101, and checks <c>Origin</c> against
/// <c>Host</c> for cookie logins (cross-site WebSocket hijacking, §10.2).
/// </summary>
/// <remarks>
/// No extension is ever negotiated, so <c>Sec-WebSocket-Extensions</c> is ignored and in particular there
/// is no permessage-deflate (RFC 7692): a compressed frame depends on each connection's compression
/// context, so every subscriber would need its own deflated copy of every trace chunk, which defeats the
/// one-buffer-N-writes design of the trace bus; and compressing secrets (session cookies echoed in traced
/// SMTP, AUTH lines) next to attacker-influenced bytes is the CRIME/BREACH length oracle.
/// No subprotocol is offered either: a client that requires one fails the handshake itself (§4.1).
/// </remarks>
internal static class WebSocketHandshake
{
    /// <summary>RFC 6455 §1.3: appended to the key before hashing.</summary>
    private static ReadOnlySpan<byte> KeyGuid => "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8;

    /// <summary>base64 of 16 bytes.</summary>
    public const int KeyLength = 24;

    /// <summary>base64 of a 20-byte SHA-1.</summary>
    public const int AcceptLength = 28;

    private static readonly byte[] Version13 = "13"u8.ToArray();

    /// <summary>Checks the request against RFC 6455 §4.2.1; <see cref="WebSocketHandshakeError.None"/> when it may be upgraded.</summary>
    public static WebSocketHandshakeError Validate(HttpRequestHead request)
    {
        if (request.Method != HttpMethod.Get) return WebSocketHandshakeError.NotGet;
        if (request.Version != HttpVersion.Http11) return WebSocketHandshakeError.NotHttp11;
        if (!HasUpgradeWebSocket(request)) return WebSocketHandshakeError.MissingUpgrade;
        if ((request.Connection & ConnectionOptions.Upgrade) == 0) return WebSocketHandshakeError.MissingConnectionUpgrade;
        // §4.2.2 / §4.4: an unknown version gets 426 naming ours; checked before the key so a client
        // speaking a draft learns what to speak.
        if (!request.HasHeader(KnownHeader.SecWebSocketVersion) || !request.SecWebSocketVersion.SequenceEqual("13"u8))
            return WebSocketHandshakeError.UnsupportedVersion;
        if (!IsValidKey(request.SecWebSocketKey)) return WebSocketHandshakeError.BadKey;
        if (request.HasBody) return WebSocketHandshakeError.HasBody;
        return WebSocketHandshakeError.None;
    }

    /// <summary>The HTTP status for a refused handshake.</summary>
    public static int StatusCode(WebSocketHandshakeError error) => error switch
    {
        WebSocketHandshakeError.None => 101,
        WebSocketHandshakeError.UnsupportedVersion => 426,
        _ => 400,
    };

    /// <summary>Turns <paramref name="response"/> into the refusal for <paramref name="error"/>.</summary>
    public static void Reject(HttpResponse response, WebSocketHandshakeError error)
    {
        int status = StatusCode(error);
        response.SetError(status, close: true);
        if (status == 426)
        {
            // RFC 6455 §4.4 and RFC 9110 §15.5.22: name what we do speak.
            response.SetText(426, "websocket version 13 required\n"u8);
            response.AddHeader("Sec-WebSocket-Version"u8, Version13);
            response.AddHeader("Upgrade"u8, "websocket"u8);
        }
    }

    /// <summary>RFC 6455 §4.1 item 7: a base64-encoded (RFC 4648 §4) random 16-byte value.</summary>
    public static bool IsValidKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength) return false;
        Span<byte> decoded = stackalloc byte[18];
        return Base64.DecodeFromUtf8(key, decoded, out int consumed, out int written) == OperationStatus.Done
            && consumed == KeyLength && written == 16;
    }

    /// <summary>RFC 6455 §4.2.2 item 5.4: base64(SHA-1(key + GUID)) into <paramref name="destination"/> (28 bytes).</summary>
    public static void ComputeAccept(ReadOnlySpan<byte> key, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[KeyLength + 36];
        key.CopyTo(input);
        KeyGuid.CopyTo(input[key.Length..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input[..(key.Length + KeyGuid.Length)], hash);
        Base64.EncodeToUtf8(hash, destination, out _, out _);
    }

    /// <summary>Writes the whole 101 response for a validated request (RFC 6455 §4.2.2 item 5).</summary>
    public static void WriteResponse(IBufferWriter<byte> output, ReadOnlySpan<byte> key)
    {
        output.Write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "u8);
        var accept = output.GetSpan(AcceptLength);
        ComputeAccept(key, accept);
        output.Advance(AcceptLength);
        output.Write("\r\n\r\n"u8);
    }

    /// <summary>
    /// Whether the serialized <paramref name="origin"/> (RFC 6454 §6.2: <c>scheme://host[:port]</c>) names
    /// this server as reached through <paramref name="host"/> (the Host field, <c>host[:port]</c>): the
    /// scheme is http, or https on TLS, and host and port are equal (ports default to 80/443, hosts
    /// compare ignoring ASCII case). <c>null</c> origins and anything with a path never match.
    /// </summary>
    public static bool OriginMatchesHost(ReadOnlySpan<byte> origin, ReadOnlySpan<byte> host, bool isTls)
    {
        ReadOnlySpan<byte> scheme = isTls ? "https://"u8 : "http://"u8;
        if (origin.Length <= scheme.Length || !Ascii.EqualsIgnoreCase(origin[..scheme.Length], scheme)) return false;
        int defaultPort = isTls ? 443 : 80;
        return SplitHostPort(origin[scheme.Length..], defaultPort, out var originHost, out int originPort)
            && SplitHostPort(host, defaultPort, out var hostHost, out int hostPort)
            && originPort == hostPort
            && Ascii.EqualsIgnoreCase(originHost, hostHost);
    }

    private static bool SplitHostPort(ReadOnlySpan<byte> authority, int defaultPort, out ReadOnlySpan<byte> host, out int port)
    {
        host = default;
        port = defaultPort;
        if (authority.IsEmpty || authority.IndexOfAny("/?#@ \t"u8) >= 0) return false;
        ReadOnlySpan<byte> rest;
        if (authority[0] == (byte)'[')
        {
            int close = authority.IndexOf((byte)']');
            if (close < 0) return false;
            host = authority[..(close + 1)];
            rest = authority[(close + 1)..];
        }
        else
        {
            int colon = authority.LastIndexOf((byte)':');
            host = colon < 0 ? authority : authority[..colon];
            rest = colon < 0 ? default : authority[colon..];
        }
        if (host.IsEmpty) return false;
        if (rest.IsEmpty) return true;
        if (rest[0] != (byte)':') return false;
        rest = rest[1..];
        // RFC 3986 §3.2.3: an empty port means the scheme's default.
        if (rest.IsEmpty) return true;
        return rest.Length <= 5 && Utf8Parser.TryParse(rest, out port, out int used) && used == rest.Length && port <= 65535;
    }

    private static bool HasUpgradeWebSocket(HttpRequestHead request)
    {
        // Upgrade is a list (RFC 9110 §7.8) and may come on several lines; "websocket" is compared
        // ignoring ASCII case (RFC 6455 §4.2.1 item 3).
        for (int i = 0; i < request.HeaderCount; i++)
        {
            if (!Ascii.EqualsIgnoreCase(request.HeaderName(i), "upgrade"u8)) continue;
            var value = request.HeaderValue(i);
            while (true)
            {
                int comma = value.IndexOf((byte)',');
                var item = HttpCharacters.TrimWhitespace(comma < 0 ? value : value[..comma]);
                if (Ascii.EqualsIgnoreCase(item, "websocket"u8)) return true;
                if (comma < 0) break;
                value = value[(comma + 1)..];
            }
        }
        return false;
    }
}
