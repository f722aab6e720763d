using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MailerQ.Www.Auth.Net;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Logging;

namespace MailerQ.Www.Auth.Radius;

/// <summary>
/// <c>radius://identifier:secret@host:port[,host:port…]</c>: one RFC 2865 Access-Request per login over
/// UDP, hosts tried in order (failover), each up to <see cref="RadiusLimits.TriesPerHost"/> times, all
/// within <see cref="RadiusLimits.AttemptBudget"/>. Access-Accept accepts; Access-Reject and
/// Access-Challenge (no second round here) reject; no authentic reply is an error. See docs/auth-ldap-radius.md.
/// </summary>
internal sealed class RadiusAuthBackend : IAuthBackend
{
    private const string SchemeName = "radius";
    private const string LogComponent = "auth.radius";
    private const int AuthenticatorBytes = 16;

    private readonly RadiusUrl _url;
    private readonly byte[] _identifier;
    private readonly TimeSpan _budget;
    private readonly TimeSpan _maxTryTimeout;

    /// <param name="url">Servers and secret.</param>
    /// <param name="budget">Time for all hosts and tries; <see cref="RadiusLimits.AttemptBudget"/> outside tests.</param>
    /// <param name="maxTryTimeout">Longest wait per transmission; <see cref="RadiusLimits.MaxTryTimeout"/> outside tests.</param>
    internal RadiusAuthBackend(RadiusUrl url, TimeSpan budget, TimeSpan maxTryTimeout)
    {
        _url = url;
        _identifier = Encoding.UTF8.GetBytes(url.Identifier);
        _budget = budget;
        _maxTryTimeout = maxTryTimeout;
    }

    /// <inheritdoc/>
    public string Scheme => SchemeName;

    /// <summary>Builds the backend for one <c>www-auth</c> line; a bad URL is reported against the line and gives null.</summary>
    public static IAuthBackend? Create(ConfigEntry entry, ConfigDiagnostics diagnostics)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (!RadiusUrl.TryParse(entry.Value, out var url, out string? error))
        {
            diagnostics.Error(entry.Origin, entry.Key, error!);
            return null;
        }
        if (url!.Secret.Length < RadiusLimits.RecommendedSecretBytes)
            diagnostics.Warning(entry.Origin, entry.Key, $"the RADIUS shared secret is shorter than {RadiusLimits.RecommendedSecretBytes} bytes (RFC 2865 §3)");
        return new RadiusAuthBackend(url, RadiusLimits.AttemptBudget, RadiusLimits.MaxTryTimeout);
    }

    /// <inheritdoc/>
    public async ValueTask<AuthResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        // Refused unsent, like every scheme (CONTRACT.md: an empty password or a name with control
        // characters gets the same 401 as a wrong password).
        if (password.Length == 0)
            return Result(AuthOutcome.Rejected, "empty password");
        if (userName.Length == 0 || WireCredentialRules.HasControlCharacters(userName) || WireCredentialRules.HasLoneSurrogate(userName))
            return Result(AuthOutcome.Rejected, "empty user name, or control or invalid characters in it");
        if (WireCredentialRules.HasLoneSurrogate(password))
            return Result(AuthOutcome.Rejected, "invalid characters in the password");
        byte[] name = Encoding.UTF8.GetBytes(userName);
        int passwordLength = Encoding.UTF8.GetByteCount(password);
        if (name.Length > RadiusLimits.MaxStringBytes || passwordLength > RadiusLimits.MaxPasswordBytes)
            return Result(AuthOutcome.Rejected, "user name longer than 253 bytes or password longer than 128 bytes (RFC 2865 §5.1, §5.2)");

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(_budget);
        long started = Environment.TickCount64;
        byte[] secretPassword = ArrayPool<byte>.Shared.Rent(passwordLength);
        var problems = new StringBuilder();
        try
        {
            Encoding.UTF8.GetBytes(password, secretPassword);
            var passwordBytes = secretPassword.AsMemory(0, passwordLength);
            for (int i = 0; i < _url.Hosts.Count; i++)
            {
                var host = _url.Hosts[i];
                var tryTimeout = TryTimeout(started, _url.Hosts.Count - i);
                try
                {
                    var answer = await AskHostAsync(host, name, passwordBytes, tryTimeout, budget.Token).ConfigureAwait(false);
                    if (answer is { } code)
                        return Outcome(code, host);
                    Append(problems, host, "no authentic reply");
                }
                catch (SocketException e)
                {
                    // ConnectionRefused: an ICMP port unreachable on the connected socket, the host is down.
                    Append(problems, host, e.SocketErrorCode.ToString());
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    Append(problems, host, string.Create(CultureInfo.InvariantCulture, $"attempt budget of {_budget.TotalSeconds:0.#} s used up"));
                    break;
                }
            }
            return Result(AuthOutcome.Error, problems.ToString());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secretPassword);
            ArrayPool<byte>.Shared.Return(secretPassword);
        }
    }

    // The time left is shared fairly among the hosts not yet tried, so a quick refusal by one host
    // leaves more for the next, and the last host still gets its tries before the budget ends.
    private TimeSpan TryTimeout(long started, int hostsLeft)
    {
        var left = _budget - TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
        var share = left / (hostsLeft * RadiusLimits.TriesPerHost);
        if (share > _maxTryTimeout) return _maxTryTimeout;
        return share < RadiusLimits.MinTryTimeout ? RadiusLimits.MinTryTimeout : share;
    }

    /// <summary>Sends the request to one host up to three times; the verified reply code, or null after the last try timed out.</summary>
    private async ValueTask<RadiusCode?> AskHostAsync(HostPort host, byte[] userName, ReadOnlyMemory<byte> password, TimeSpan tryTimeout, CancellationToken cancellationToken)
    {
        var address = await ResolveAsync(host.Host, cancellationToken).ConfigureAwait(false);
        using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        // A connected UDP socket only receives datagrams from that address and port, and reports an ICMP
        // port unreachable as ConnectionRefused, so a stopped server fails fast.
        await socket.ConnectAsync(new IPEndPoint(address, host.Port), cancellationToken).ConfigureAwait(false);
        var local = ((IPEndPoint)socket.LocalEndPoint!).Address;

        byte identifier = (byte)RandomNumberGenerator.GetInt32(256);
        byte[] authenticator = new byte[AuthenticatorBytes];
        RandomNumberGenerator.Fill(authenticator); // RFC 2865 §3: unpredictable and unique
        byte[] packet = ArrayPool<byte>.Shared.Rent(RadiusLimits.MaxPacketBytes);
        byte[] reply = ArrayPool<byte>.Shared.Rent(RadiusLimits.MaxPacketBytes + 1);
        try
        {
            int length = RadiusRequestEncoder.Write(packet, identifier, authenticator, userName, password.Span, _identifier, local, _url.Secret);
            // RFC 5080 §2.2.1: a retransmission to the same server is the same packet (same ID and authenticator).
            for (int attempt = 0; attempt < RadiusLimits.TriesPerHost; attempt++)
            {
                await socket.SendAsync(packet.AsMemory(0, length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(tryTimeout);
                while (true)
                {
                    int received;
                    try
                    {
                        received = await socket.ReceiveAsync(reply, SocketFlags.None, wait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        break; // this try timed out: retransmit
                    }
                    catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
                    {
                        // Longer than RFC 2865's 4096-byte maximum: not a reply, keep waiting.
                        Log.Warning(LogComponent, "ignored an oversized datagram", $"server={host}");
                        continue;
                    }
                    if (received > RadiusLimits.MaxPacketBytes)
                    {
                        // The buffer holds one byte more than RFC 2865's maximum, so a full buffer means an
                        // oversized (or truncated) datagram: not a RADIUS packet.
                        Log.Warning(LogComponent, "ignored an oversized datagram", $"server={host}");
                        continue;
                    }
                    var status = RadiusReplyVerifier.Verify(reply.AsSpan(0, received), identifier, authenticator, _url.Secret, out var code);
                    if (status == RadiusReplyStatus.Valid)
                        return code;
                    Log.Warning(LogComponent, "ignored a reply that failed verification", $"server={host} reason={status}");
                }
            }
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(packet);
            ArrayPool<byte>.Shared.Return(packet);
            ArrayPool<byte>.Shared.Return(reply);
        }
    }

    private static async ValueTask<IPAddress> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var address))
            return address;
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
            throw new SocketException((int)SocketError.HostNotFound);
        return addresses[0];
    }

    private AuthResult Outcome(RadiusCode code, HostPort host) => code switch
    {
        RadiusCode.AccessAccept => Result(AuthOutcome.Accepted, null),
        // A challenge asks for another round (e.g. an OTP) that a one-shot login cannot give.
        RadiusCode.AccessChallenge => Result(AuthOutcome.Rejected, $"{host}: Access-Challenge (not supported, counts as reject)"),
        _ => Result(AuthOutcome.Rejected, $"{host}: Access-Reject"),
    };

    private static void Append(StringBuilder problems, HostPort host, string problem)
    {
        if (problems.Length > 0) problems.Append("; ");
        problems.Append(host.ToString()).Append(": ").Append(problem);
    }

    private static AuthResult Result(AuthOutcome outcome, string? detail) => new(outcome, SchemeName, detail);
}
