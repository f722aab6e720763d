using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using MailerQ.Www.Core.Buffers;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Smtp.Delivery;
using MailerQ.Www.Smtp.Sessions;
using MailerQ.Www.Core.Sessions;

namespace MailerQ.Www.Smtp.Client;

/// <summary>
/// One outbound SMTP connection (RFC 5321) over System.IO.Pipelines: greeting, EHLO (HELO fallback), STARTTLS
/// (RFC 3207) per <see cref="DeliverySecurity"/>, AUTH PLAIN/LOGIN (RFC 4954), then any number of message
/// transactions with PIPELINING (RFC 2920), SIZE (RFC 1870), 8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531) and DSN
/// (RFC 3461). Every step reports MailerQ's <see cref="AttemptResult"/>; docs/delivery.md describes the mapping.
/// </summary>
/// <remarks>
/// Concurrency contract: one operation at a time (<see cref="SendAsync"/>, <see cref="QuitAsync"/>); the engine
/// owns the connection while it uses it. Timeouts and lost connections are results, not exceptions; only the
/// caller's own cancellation throws (<see cref="OperationCanceledException"/>), and leaves the connection unusable.
/// </remarks>
internal sealed class SmtpClientConnection : IAsyncDisposable
{
    private static readonly StreamPipeReaderOptions ReaderOptions =
        new(BlockMemoryPool.Shared, bufferSize: BlockMemoryPool.BlockSize, minimumReadSize: 1024, leaveOpen: true);
    private static readonly StreamPipeWriterOptions WriterOptions =
        new(BlockMemoryPool.Shared, minimumBufferSize: BlockMemoryPool.BlockSize, leaveOpen: true);

    private readonly SmtpClientOptions _options;
    private readonly string _remoteHostName;
    private readonly Socket _socket;
    private readonly SmtpReplyParser _reply = new();
    private readonly CancellationTokenSource _timeout;
    private readonly string _to;
    private string? _from;
    private SessionRecord? _record;

    private NetworkStream? _network;
    private SslStream? _ssl;
    private PipeReader? _input;
    private PipeWriter? _output;

    private SmtpExtensions _extensions;
    private long _maxSize;
    private bool _secure;
    private bool _certificateVerified;
    private SslPolicyErrors _certificateErrors;
    private bool _broken;
    private bool _needsReset;
    private volatile bool _callerCancelled;
    private int _closed;
    private long _sentConnection;

    private SmtpClientConnection(IPEndPoint remote, string remoteHostName, SmtpClientOptions options)
    {
        _options = options;
        _remoteHostName = remoteHostName;
        Remote = remote;
        Local = new IPEndPoint(remote.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        _to = remote.Address.ToString();
        _from = options.LocalAddress?.ToString();
        _socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, options.Time);
        Id = SessionIds.Next();
        LastUsed = options.Time.GetUtcNow();
    }

    /// <summary>The session id in the console's list and on the trace bus (shared with inbound sessions).</summary>
    public long Id { get; }

    public IPEndPoint Local { get; private set; }
    public IPEndPoint Remote { get; }

    /// <summary>The remote MTA's name from its greeting (MailerQ's <c>mta</c>).</summary>
    public string? RemoteName { get; private set; }

    /// <summary>The TLS session after a successful STARTTLS; null in plain text.</summary>
    public TlsSummary? Tls { get; private set; }

    /// <summary>Transactions started on this connection (MAIL FROM sent), whatever their outcome.</summary>
    public int MessagesSent { get; private set; }

    /// <summary>End of the last operation; the engine closes connections idle longer than its limit.</summary>
    public DateTimeOffset LastUsed { get; private set; }

    /// <summary>The extensions of the last EHLO (after TLS, the second one).</summary>
    internal SmtpExtensions Extensions => _extensions;

    /// <summary>False after a timeout, a lost connection, an invalid reply, a 421, a cancellation or QUIT.</summary>
    public bool IsUsable => !_broken && !_callerCancelled && Volatile.Read(ref _closed) == 0;

    /// <summary>
    /// Connects and gets the connection ready for mail: greeting, EHLO (HELO fallback), STARTTLS per
    /// <see cref="SmtpClientOptions.Security"/>, AUTH when credentials are set. Exactly one of the pair is non-null.
    /// Under <see cref="DeliverySecurity.Optional"/> a failed TLS handshake is followed by a second connection
    /// without STARTTLS.
    /// </summary>
    public static async Task<(SmtpClientConnection? Connection, AttemptResult? Failure)> ConnectAsync(
        IPEndPoint remote, string remoteHostName, SmtpClientOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(options);
        var (connection, failure) = await ConnectOnceAsync(remote, remoteHostName, options, useTls: true, ct).ConfigureAwait(false);
        if (connection is null && failure is { State: DeliveryStates.StartTls, Fatal: null } && options.Security == DeliverySecurity.Optional)
        {
            Log.Info("delivery", "TLS handshake failed, sending in plain text", $"remote={remote} error={Log.Quote(failure.Description)}");
            (connection, failure) = await ConnectOnceAsync(remote, remoteHostName, options, useTls: false, ct).ConfigureAwait(false);
        }
        return (connection, failure);
    }

    private static async Task<(SmtpClientConnection?, AttemptResult?)> ConnectOnceAsync(
        IPEndPoint remote, string remoteHostName, SmtpClientOptions options, bool useTls, CancellationToken ct)
    {
        var connection = new SmtpClientConnection(remote, remoteHostName, options);
        AttemptResult? failure;
        try
        {
            failure = await connection.OpenAsync(useTls, ct).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        if (failure is null)
            return (connection, null);
        await connection.DisposeAsync().ConfigureAwait(false);
        return (null, failure);
    }

    private async Task<AttemptResult?> OpenAsync(bool useTls, CancellationToken ct)
    {
        using var registration = Watch(ct);

        if (_options.LocalAddress is { } local)
        {
            try
            {
                _socket.Bind(new IPEndPoint(local, 0));
            }
            catch (SocketException ex)
            {
                return Result(DeliveryStates.Bind, DeliveryResults.Error, description: "cannot bind " + local + ": " + ex.Message);
            }
        }

        _timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            await _socket.ConnectAsync(Remote, _timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_callerCancelled)
        {
            return Result(DeliveryStates.Connect, DeliveryResults.Timeout, description: "connect timed out");
        }
        catch (SocketException ex)
        {
            return Result(DeliveryStates.Connect, DeliveryResults.Error, description: ex.Message);
        }
        ThrowIfCallerCancelled(ct);
        _timeout.CancelAfter(Timeout.InfiniteTimeSpan);

        if (_socket.LocalEndPoint is IPEndPoint bound)
        {
            Local = bound.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(bound.Address.MapToIPv4(), bound.Port) : bound;
            _from = Local.Address.ToString();
        }
        if (_options.Sessions is { } sessions)
        {
            _record = new SessionRecord(Id, "out", Remote, _options.Time.GetUtcNow(), sessions.MaxLines, sessions.MaxSessionBytes);
            sessions.Add(_record);
        }
        _network = new NetworkStream(_socket, ownsSocket: false);
        UsePipes(_network);

        // RFC 5321 section 3.1: the greeting; 554 (or 421) means no service here.
        var outcome = await ReadReplyAsync(_options.GreetingTimeout, ct).ConfigureAwait(false);
        if (outcome != IoOutcome.Ok)
            return Failed(DeliveryStates.Intro, outcome);
        RemoteName = GreetingName();
        if (_reply.Code != 220)
            return Rejected(DeliveryStates.Intro);

        var failure = await HelloAsync(ct).ConfigureAwait(false);
        if (failure is not null)
            return failure;

        if (useTls)
        {
            failure = await StartTlsAsync(ct).ConfigureAwait(false);
            if (failure is not null)
                return failure;
        }

        if (_options.Username is not null)
        {
            failure = await AuthenticateAsync(ct).ConfigureAwait(false);
            if (failure is not null)
                return failure;
        }
        SetState("ready");
        LastUsed = _options.Time.GetUtcNow();
        return null;
    }

    /// <summary>The first word of the greeting's text: the server's name (RFC 5321 section 4.2 Greeting).</summary>
    private string? GreetingName()
    {
        if (_reply.LineCount == 0)
            return null;
        var line = _reply.Line(0).TrimStart((byte)' ');
        int space = line.IndexOf((byte)' ');
        var name = space < 0 ? line : line[..space];
        return name.IsEmpty ? null : Encoding.UTF8.GetString(name);
    }

    /// <summary>EHLO, and HELO when EHLO is refused as unknown (RFC 5321 section 3.2).</summary>
    private async Task<AttemptResult?> HelloAsync(CancellationToken ct)
    {
        SetState("ehlo");
        WriteHello("EHLO "u8);
        var outcome = await RoundTripAsync(_options.EhloTimeout, ct).ConfigureAwait(false);
        if (outcome != IoOutcome.Ok)
            return Failed(DeliveryStates.Ehlo, outcome);
        if (_reply.Code / 100 == 2)
        {
            _extensions = EhloCapabilities.Read(_reply, out _maxSize);
            return null;
        }
        if (_reply.Code / 100 != 5 || !IsUsable)
            return Rejected(DeliveryStates.Ehlo);

        WriteHello("HELO "u8);
        outcome = await RoundTripAsync(_options.EhloTimeout, ct).ConfigureAwait(false);
        if (outcome != IoOutcome.Ok)
            return Failed(DeliveryStates.Helo, outcome);
        if (_reply.Code / 100 != 2)
            return Rejected(DeliveryStates.Helo);
        _extensions = SmtpExtensions.None;
        _maxSize = 0;
        return null;
    }

    private void WriteHello(ReadOnlySpan<byte> verb)
    {
        var line = new CommandLineWriter(_output!.GetSpan(CommandLineWriter.Bound(_options.HeloName)));
        line.Append(verb);
        line.AppendUtf8(_options.HeloName);
        line.Append("\r\n"u8);
        Commit(ref line);
    }

    /// <summary>STARTTLS per <see cref="SmtpClientOptions.Security"/> (docs/delivery.md, "TLS").</summary>
    private async Task<AttemptResult?> StartTlsAsync(CancellationToken ct)
    {
        var security = _options.Security;
        bool mustTls = security is DeliverySecurity.Required or DeliverySecurity.Verified;
        if ((_extensions & SmtpExtensions.StartTls) == 0)
        {
            // A peer that does not offer STARTTLS will not start offering it within a retry window: permanent.
            return mustTls
                ? Result(DeliveryStates.StartTls, DeliveryResults.Error, description: "remote does not offer STARTTLS, security " + Name(security) + " needs it", fatal: true)
                : null;
        }

        SetState("starttls");
        var command = new CommandLineWriter(_output!.GetSpan(16));
        command.Append("STARTTLS\r\n"u8);
        Commit(ref command);
        var outcome = await RoundTripAsync(_options.StartTlsTimeout, ct).ConfigureAwait(false);
        if (outcome != IoOutcome.Ok)
            return Failed(DeliveryStates.StartTls, outcome);
        if (_reply.Code != 220)
        {
            // RFC 3207 section 4: the client may go on in plain text, unless its policy forbids that.
            return mustTls || !IsUsable ? Rejected(DeliveryStates.StartTls) : null;
        }

        // RFC 3207 section 4.2: nothing read before the handshake may be used after it (CVE-2011-0411 class).
        await _input!.CompleteAsync().ConfigureAwait(false);
        await _output.CompleteAsync().ConfigureAwait(false);
        _input = null;
        _output = null;

        var ssl = new SslStream(_network!, leaveInnerStreamOpen: true);
        _ssl = ssl;
        var tls = new SslClientAuthenticationOptions
        {
            TargetHost = _remoteHostName,
            // Offline-safe and what MTAs do: revocation is not checked for SMTP.
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = CheckCertificate,
        };
        _timeout.CancelAfter(_options.StartTlsTimeout);
        try
        {
            await ssl.AuthenticateAsClientAsync(tls, _timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_callerCancelled)
        {
            _broken = true;
            return Result(DeliveryStates.StartTls, DeliveryResults.Timeout, description: "TLS handshake timed out");
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException or System.ComponentModel.Win32Exception)
        {
            _broken = true;
            if (security == DeliverySecurity.Verified && !_certificateVerified && _certificateErrors != SslPolicyErrors.None)
                return Result(DeliveryStates.StartTls, DeliveryResults.Error, description: "certificate not verified: " + _certificateErrors, fatal: true);
            if (security == DeliverySecurity.Verified && !_certificateVerified)
                return Result(DeliveryStates.StartTls, DeliveryResults.Error, description: "certificate not verified", fatal: true);
            // Optional: null lets ConnectAsync retry in plain text; opportunistic: temporary; required/verified: final.
            bool? fatal = security switch
            {
                DeliverySecurity.Opportunistic => false,
                DeliverySecurity.Required or DeliverySecurity.Verified => true,
                _ => null,
            };
            return Result(DeliveryStates.StartTls, DeliveryResults.Error, description: "TLS handshake failed: " + ex.Message, fatal: fatal);
        }
        ThrowIfCallerCancelled(ct);
        _timeout.CancelAfter(Timeout.InfiniteTimeSpan);

        _secure = true;
        Tls = Summarize(ssl, _certificateVerified);
        if (_record is not null)
            _record.Cipher = Tls.Name;
        UsePipes(ssl);

        // RFC 3207 section 4.2: forget the pre-TLS extensions and ask again.
        _extensions = SmtpExtensions.None;
        var failure = await HelloAsync(ct).ConfigureAwait(false);
        return failure;
    }

    private bool CheckCertificate(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate,
        System.Security.Cryptography.X509Certificates.X509Chain? chain, SslPolicyErrors errors)
    {
        _certificateErrors = errors;
        _certificateVerified = _options.CertificateValidation is { } custom ? custom(sender, certificate, chain, errors) : errors == SslPolicyErrors.None;
        // Only "verified" refuses; the others take any certificate (opportunistic encryption, RFC 7435).
        return _certificateVerified || _options.Security != DeliverySecurity.Verified;
    }

    private static TlsSummary Summarize(SslStream ssl, bool verified)
    {
        string name = ssl.NegotiatedCipherSuite.ToString();
        int bits = name.Contains("_256_", StringComparison.Ordinal) || name.Contains("CHACHA20", StringComparison.Ordinal) ? 256
            : name.Contains("_128_", StringComparison.Ordinal) ? 128 : 0;
        string version = ssl.SslProtocol switch
        {
            SslProtocols.Tls13 => "TLSv1.3",
            SslProtocols.Tls12 => "TLSv1.2",
            var other => other.ToString(),
        };
        return new TlsSummary(name, bits, version, verified);
    }

    /// <summary>AUTH PLAIN, else LOGIN (RFC 4954); credentials never cross an unencrypted link except to loopback.</summary>
    private async Task<AttemptResult?> AuthenticateAsync(CancellationToken ct)
    {
        string user = _options.Username!;
        string password = _options.Password ?? "";
        bool plain = (_extensions & SmtpExtensions.AuthPlain) != 0;
        string state = plain || (_extensions & SmtpExtensions.AuthLogin) == 0 ? DeliveryStates.AuthPlain : DeliveryStates.AuthLogin;
        if (!_secure && !IPAddress.IsLoopback(Remote.Address))
            return Result(state, DeliveryResults.Error, description: "not sending credentials over an unencrypted connection");
        if ((_extensions & (SmtpExtensions.AuthPlain | SmtpExtensions.AuthLogin)) == 0)
            return Result(state, DeliveryResults.Error, description: "remote offers neither AUTH PLAIN nor AUTH LOGIN");
        SetState("auth");

        if (plain)
        {
            // RFC 4616: authzid (empty) NUL authcid NUL passwd, sent as the initial response.
            WriteSecret("AUTH PLAIN "u8, "\0" + user + "\0" + password);
            var outcome = await RoundTripAsync(_options.MailTimeout, ct).ConfigureAwait(false);
            if (outcome != IoOutcome.Ok)
                return Failed(state, outcome);
            return _reply.Code / 100 == 2 ? null : Rejected(state);
        }

        var command = new CommandLineWriter(_output!.GetSpan(16));
        command.Append("AUTH LOGIN\r\n"u8);
        Commit(ref command);
        foreach (string secret in new[] { user, password })
        {
            var step = await RoundTripAsync(_options.MailTimeout, ct).ConfigureAwait(false);
            if (step != IoOutcome.Ok)
                return Failed(state, step);
            if (_reply.Code != 334)
                return Rejected(state);
            WriteSecret(default, secret);
        }
        var last = await RoundTripAsync(_options.MailTimeout, ct).ConfigureAwait(false);
        if (last != IoOutcome.Ok)
            return Failed(state, last);
        return _reply.Code / 100 == 2 ? null : Rejected(state);
    }

    /// <summary>Writes <paramref name="prefix"/> and base64 of the secret, clearing every buffer that held it; the transcript shows stars.</summary>
    private void WriteSecret(ReadOnlySpan<byte> prefix, string secret)
    {
        int length = Encoding.UTF8.GetByteCount(secret);
        byte[] raw = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        byte[] encoded = ArrayPool<byte>.Shared.Rent(prefix.Length + Base64.GetMaxEncodedToUtf8Length(length) + 2);
        try
        {
            Encoding.UTF8.GetBytes(secret, raw);
            prefix.CopyTo(encoded);
            Base64.EncodeToUtf8(raw.AsSpan(0, length), encoded.AsSpan(prefix.Length), out _, out int written);
            int n = prefix.Length + written;
            encoded[n++] = (byte)'\r';
            encoded[n++] = (byte)'\n';
            _output!.Write(encoded.AsSpan(0, n));
            Transcript('c', prefix.IsEmpty ? "****" : Encoding.ASCII.GetString(prefix) + "****");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw, clearArray: true);
            ArrayPool<byte>.Shared.Return(encoded, clearArray: true);
        }
    }

    /// <summary>
    /// One message transaction: MAIL FROM, RCPT TO and DATA (in one write when the peer offers PIPELINING, with
    /// RSET in front after a failed transaction), then the dot-stuffed MIME and the final reply.
    /// </summary>
    public async Task<AttemptResult> SendAsync(OutgoingEnvelope envelope, ReadOnlyMemory<byte> mime, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (!IsUsable)
            throw new InvalidOperationException("the connection is not usable; open a new one");
        using var registration = Watch(ct);
        try
        {
            var result = await TransactAsync(envelope, mime, ct).ConfigureAwait(false);
            LastUsed = _options.Time.GetUtcNow();
            return result;
        }
        catch (OperationCanceledException) when (_callerCancelled)
        {
            _broken = true;
            throw;
        }
    }

    private async Task<AttemptResult> TransactAsync(OutgoingEnvelope envelope, ReadOnlyMemory<byte> mime, CancellationToken ct)
    {
        MessagesSent++;
        _record?.StartTransaction(envelope.MailFrom);
        _record?.AddRecipient(envelope.Recipient);

        if (EnvelopeCommands.HasControl(envelope.MailFrom))
            return Result(DeliveryStates.MailFrom, DeliveryResults.Invalid, description: "envelope sender contains control characters", fatal: true);
        if (envelope.Recipient.Length == 0 || EnvelopeCommands.HasControl(envelope.Recipient))
            return Result(DeliveryStates.RcptTo, DeliveryResults.Invalid, description: "recipient is empty or contains control characters", fatal: true);

        // RFC 6531 section 3.2: a non-ASCII address (or a message that needs SMTPUTF8) cannot go to a server that
        // does not offer SMTPUTF8; the message is not downgraded, it fails for good.
        bool utf8 = envelope.RequiresSmtpUtf8 || !Ascii.IsValid(envelope.MailFrom) || !Ascii.IsValid(envelope.Recipient);
        if (utf8 && (_extensions & SmtpExtensions.SmtpUtf8) == 0)
            return Result(DeliveryStates.MailFrom, DeliveryResults.Error, 553, "5.6.7", "message needs SMTPUTF8, which the remote does not offer (refused locally)", fatal: true);

        // RFC 1870 section 6: do not send what the server already said it will refuse.
        long size = mime.Length;
        if ((_extensions & SmtpExtensions.Size) != 0 && _maxSize > 0 && size > _maxSize)
            return Result(DeliveryStates.MailFrom, DeliveryResults.Error, 552, "5.3.4",
                $"message size {size} exceeds the remote's SIZE limit {_maxSize} (refused locally)", fatal: true);

        bool pipelining = (_extensions & SmtpExtensions.Pipelining) != 0;
        bool dsn = (_extensions & SmtpExtensions.Dsn) != 0 && envelope.Dsn is not null;
        const int steps = (int)TransactionStep.Data + 1;
        int first = _needsReset ? 0 : 1;
        _needsReset = false;

        AttemptResult? failure = null;
        bool dataAccepted = false;
        int written = first;
        for (int i = first; i < steps; i++)
        {
            // Without PIPELINING one command per round trip; with it, the whole group goes in one write.
            if (written <= i)
            {
                int last = pipelining ? steps - 1 : i;
                for (int w = i; w <= last; w++)
                    WriteStep((TransactionStep)w, envelope, size, utf8, dsn);
                written = last + 1;
                var flushed = await FlushAsync(_options.MailTimeout).ConfigureAwait(false);
                if (flushed != IoOutcome.Ok)
                    return Failed(StateOf((TransactionStep)i), flushed);
            }
            var step = (TransactionStep)i;
            var outcome = await ReadReplyAsync(TimeoutOf(step), ct).ConfigureAwait(false);
            if (outcome != IoOutcome.Ok)
                return failure ?? Failed(StateOf(step), outcome);
            bool ok = step == TransactionStep.Data ? _reply.Code == 354 : _reply.Code / 100 == 2;
            if (step == TransactionStep.Data && ok)
                dataAccepted = true;
            if (!ok && failure is null)
            {
                failure = Rejected(StateOf(step));
                if (!pipelining || !IsUsable)
                    break;
            }
        }

        if (failure is not null)
        {
            // RFC 2920 section 3.1: a 354 after failed MAIL/RCPT gets a lone dot, never the message.
            if (dataAccepted && IsUsable)
            {
                var dot = new CommandLineWriter(_output!.GetSpan(8));
                dot.Append(".\r\n"u8);
                Commit(ref dot);
                if (await FlushAsync(_options.DataBlockTimeout).ConfigureAwait(false) == IoOutcome.Ok)
                    await ReadReplyAsync(_options.DataEndTimeout, ct).ConfigureAwait(false);
            }
            _needsReset = true;
            SetState("rejected");
            return failure;
        }

        // The message: dot-stuffed in chunks, each written within the data block timeout (RFC 5321 section 4.5.3.2.5).
        SetState("data");
        var stuffer = new DotStuffer();
        var rest = mime;
        while (!rest.IsEmpty)
        {
            var chunk = rest.Length > SmtpClientLimits.DataChunk ? rest[..SmtpClientLimits.DataChunk] : rest;
            stuffer.Write(chunk.Span, _output!);
            rest = rest[chunk.Length..];
            var flushed = await FlushAsync(_options.DataBlockTimeout).ConfigureAwait(false);
            if (flushed != IoOutcome.Ok)
                return Failed(DeliveryStates.Message, flushed, stuffer.Written);
        }
        stuffer.Finish(_output!);
        if (_record is not null)
            Transcript('c', $"[message data: {stuffer.Written} octets]");
        var end = await FlushAsync(_options.DataBlockTimeout).ConfigureAwait(false);
        if (end != IoOutcome.Ok)
            return Failed(DeliveryStates.Message, end, stuffer.Written);

        var final = await ReadReplyAsync(_options.DataEndTimeout, ct).ConfigureAwait(false);
        if (final != IoOutcome.Ok)
            return Failed(DeliveryStates.Message, final, stuffer.Written);
        if (_reply.Code / 100 != 2)
        {
            SetState("rejected");
            return Rejected(DeliveryStates.Message, stuffer.Written);
        }
        SetState("accepted");
        return Result(DeliveryStates.Message, DeliveryResults.Accepted, _reply.Code, _reply.EnhancedStatus(), _reply.Description(),
            sentData: stuffer.Written, dsn: (_extensions & SmtpExtensions.Dsn) != 0);
    }

    private static string StateOf(TransactionStep step) => step switch
    {
        TransactionStep.Rcpt => DeliveryStates.RcptTo,
        TransactionStep.Data => DeliveryStates.Data,
        // RSET belongs to starting the next transaction; MailerQ has no state of its own for it.
        _ => DeliveryStates.MailFrom,
    };

    private TimeSpan TimeoutOf(TransactionStep step) => step switch
    {
        TransactionStep.Rcpt => _options.RcptTimeout,
        TransactionStep.Data => _options.DataTimeout,
        _ => _options.MailTimeout,
    };

    private void WriteStep(TransactionStep step, OutgoingEnvelope envelope, long size, bool utf8, bool dsn)
    {
        switch (step)
        {
            case TransactionStep.Rset:
            {
                var line = new CommandLineWriter(_output!.GetSpan(8));
                line.Append("RSET\r\n"u8);
                Commit(ref line);
                break;
            }
            case TransactionStep.Mail:
            {
                var request = dsn ? envelope.Dsn : null;
                var line = new CommandLineWriter(_output!.GetSpan(EnvelopeCommands.MailBound(envelope, request)));
                EnvelopeCommands.WriteMail(ref line, envelope, _extensions, size, utf8, request);
                Commit(ref line);
                SetState("mail");
                break;
            }
            case TransactionStep.Rcpt:
            {
                var request = dsn ? envelope.Dsn : null;
                var line = new CommandLineWriter(_output!.GetSpan(EnvelopeCommands.RcptBound(envelope, request)));
                EnvelopeCommands.WriteRcpt(ref line, envelope, request);
                Commit(ref line);
                break;
            }
            default:
            {
                var line = new CommandLineWriter(_output!.GetSpan(8));
                line.Append("DATA\r\n"u8);
                Commit(ref line);
                break;
            }
        }
    }

    /// <summary>QUIT (RFC 5321 section 4.1.1.10) when the connection is still good, then close. Never throws for I/O.</summary>
    public async Task QuitAsync(CancellationToken ct)
    {
        if (IsUsable && _output is not null)
        {
            using var registration = Watch(ct);
            try
            {
                SetState("quit");
                var line = new CommandLineWriter(_output.GetSpan(8));
                line.Append("QUIT\r\n"u8);
                Commit(ref line);
                if (await FlushAsync(_options.QuitTimeout).ConfigureAwait(false) == IoOutcome.Ok)
                    await ReadReplyAsync(_options.QuitTimeout, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_callerCancelled)
            {
                // Closing anyway.
            }
        }
        await DisposeAsync().ConfigureAwait(false);
    }

    private void UsePipes(Stream stream)
    {
        var traced = new TracingStream(stream, _options.Trace, Id, clientSide: true, Remote.Address.ToString());
        _input = PipeReader.Create(traced, ReaderOptions);
        _output = PipeWriter.Create(traced, WriterOptions);
    }

    /// <summary>Records a command already placed in the pipe's buffer and advances past it.</summary>
    private void Commit(ref CommandLineWriter line)
    {
        if (_record is not null)
        {
            var text = line.Written;
            if (text.Length >= 2)
                text = text[..^2];
            Transcript('c', Encoding.UTF8.GetString(text));
        }
        _output!.Advance(line.Length);
    }

    private async ValueTask<IoOutcome> RoundTripAsync(TimeSpan timeout, CancellationToken ct)
    {
        var flushed = await FlushAsync(timeout).ConfigureAwait(false);
        return flushed != IoOutcome.Ok ? flushed : await ReadReplyAsync(timeout, ct).ConfigureAwait(false);
    }

    private async ValueTask<IoOutcome> FlushAsync(TimeSpan timeout)
    {
        var output = _output!;
        _sentConnection += output.UnflushedBytes;
        _timeout.CancelAfter(timeout);
        try
        {
            var result = await output.FlushAsync(_timeout.Token).ConfigureAwait(false);
            _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
            if (result.IsCompleted)
                return Broken(IoOutcome.Lost);
            return result.IsCanceled ? Broken(IoOutcome.Timeout) : IoOutcome.Ok;
        }
        catch (OperationCanceledException) when (!_callerCancelled)
        {
            return Broken(IoOutcome.Timeout);
        }
        catch (Exception ex) when (IsConnectionFault(ex))
        {
            return Broken(IoOutcome.Lost);
        }
    }

    /// <summary>Reads one whole reply into <see cref="_reply"/>; a 421 leaves the connection unusable (RFC 5321 section 3.8).</summary>
    private async ValueTask<IoOutcome> ReadReplyAsync(TimeSpan timeout, CancellationToken ct)
    {
        var input = _input!;
        _reply.Reset();
        _timeout.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(_timeout.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var reader = new SequenceReader<byte>(buffer);
                var status = _reply.Parse(ref reader);
                // Pipelined replies after this one stay buffered for the next call.
                if (status == ReplyStatus.NeedMore)
                    input.AdvanceTo(reader.Position, buffer.End);
                else
                    input.AdvanceTo(reader.Position);

                if (status == ReplyStatus.Done)
                {
                    _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
                    TranscriptReply();
                    if (_reply.Code == 421)
                        _broken = true;
                    return IoOutcome.Ok;
                }
                if (status == ReplyStatus.Invalid)
                    return Broken(IoOutcome.Invalid);
                if (result.IsCompleted || result.IsCanceled)
                    return Broken(IoOutcome.Lost);
            }
        }
        catch (OperationCanceledException) when (!_callerCancelled)
        {
            return Broken(IoOutcome.Timeout);
        }
        catch (OperationCanceledException)
        {
            _broken = true;
            throw new OperationCanceledException(ct);
        }
        catch (Exception ex) when (IsConnectionFault(ex))
        {
            return Broken(IoOutcome.Lost);
        }
    }

    private IoOutcome Broken(IoOutcome outcome)
    {
        _broken = true;
        SetState(outcome switch
        {
            IoOutcome.Timeout => "timeout",
            IoOutcome.Lost => "lost",
            _ => "invalid",
        });
        return outcome;
    }

    private static bool IsConnectionFault(Exception ex) =>
        ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException { InnerException: IOException };

    private CancellationTokenRegistration Watch(CancellationToken ct) =>
        ct.CanBeCanceled ? ct.UnsafeRegister(static state => ((SmtpClientConnection)state!).CancelByCaller(), this) : default;

    private void CancelByCaller()
    {
        _callerCancelled = true;
        try
        {
            _timeout.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void ThrowIfCallerCancelled(CancellationToken ct)
    {
        if (_callerCancelled)
            throw new OperationCanceledException(ct);
    }

    private AttemptResult Failed(string state, IoOutcome outcome, long sentData = 0) => outcome switch
    {
        IoOutcome.Timeout => Result(state, DeliveryResults.Timeout, description: "timeout waiting for the remote", sentData: sentData),
        IoOutcome.Lost => Result(state, DeliveryResults.Lost, description: "connection lost", sentData: sentData),
        _ => Result(state, DeliveryResults.Invalid, description: "invalid reply: " + _reply.Error, sentData: sentData),
    };

    private AttemptResult Rejected(string state, long sentData = 0) =>
        Result(state, DeliveryResults.Error, _reply.Code, _reply.EnhancedStatus(), _reply.Description(), sentData: sentData);

    private AttemptResult Result(string state, string result, int code = 0, string? status = null, string description = "",
        bool? fatal = null, long sentData = 0, bool dsn = false) => new()
    {
        State = state,
        Result = result,
        Code = code,
        Status = status,
        Description = description,
        Time = _options.Time.GetUtcNow(),
        Mta = RemoteName,
        From = _from,
        To = _to,
        Cipher = Tls,
        Messages = MessagesSent,
        SentConnection = _sentConnection,
        SentData = sentData,
        Dsn = dsn,
        Fatal = fatal,
    };

    private void SetState(string state)
    {
        if (_record is not null)
            _record.State = state;
    }

    private void Transcript(char direction, string line) => _record?.AddLine(direction, line);

    private void TranscriptReply()
    {
        if (_record is null)
            return;
        for (int i = 0; i < _reply.LineCount; i++)
        {
            var text = _reply.Line(i);
            string code = _reply.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
            char separator = i == _reply.LineCount - 1 ? ' ' : '-';
            _record.AddLine('s', text.IsEmpty && i == _reply.LineCount - 1 ? code : code + separator + Encoding.UTF8.GetString(text));
        }
    }

    private static string Name(DeliverySecurity security) => security switch
    {
        DeliverySecurity.Opportunistic => "opportunistic",
        DeliverySecurity.Required => "required",
        DeliverySecurity.Verified => "verified",
        _ => "optional",
    };

    /// <summary>Closes without QUIT. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
            return;
        if (_record is not null && _record.State is not ("timeout" or "lost" or "invalid" or "quit"))
            _record.State = "closed";
        try
        {
            if (_input is not null)
                await _input.CompleteAsync().ConfigureAwait(false);
            if (_output is not null)
                await _output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionFault(ex) || ex is OperationCanceledException)
        {
        }
        try
        {
            if (_ssl is not null)
                await _ssl.DisposeAsync().ConfigureAwait(false);
            if (_network is not null)
                await _network.DisposeAsync().ConfigureAwait(false);
            if (_socket.Connected)
                _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (IsConnectionFault(ex))
        {
        }
        _socket.Dispose();
        _reply.Dispose();
        _timeout.Dispose();
    }
}
