using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Smtp.Protocol;
using MailerQ.Www.Smtp.Queue;
using MailerQ.Www.Core.Sessions;

namespace MailerQ.Www.Smtp.Sessions;

/// <summary>
/// One inbound SMTP connection: RFC 5321 with PIPELINING (RFC 2920), CHUNKING (RFC 3030), STARTTLS
/// (RFC 3207) and AUTH PLAIN/LOGIN (RFC 4954) over a pipe pair.
/// </summary>
/// <remarks>
/// Concurrency contract: the loop runs on one logical thread at a time. <see cref="BeginShutdown"/> may be
/// called from another thread; it only sets a flag and cancels a pending read. The connection slot was taken
/// by the accept loop and is released exactly once, in <see cref="ExecuteAsync"/>'s finally.
/// Input handling is split: a synchronous step parses as much buffered input as it can (so pipelined commands
/// are answered in one write) and returns an <see cref="SessionAction"/> when it needs to await.
/// </remarks>
internal sealed class SmtpSession : IThreadPoolWorkItem
{
    private readonly SmtpServer _server;
    private readonly SmtpServerOptions _options;
    private readonly Socket _socket;
    private readonly SmtpEndpoint _endpoint;
    private readonly SessionRecord _record;
    private readonly DotUnstuffer _unstuffer = new();
    private readonly CancellationTokenSource _timeout;
    private readonly List<InboundRecipient> _recipients = [];
    private byte[] _lineBuffer = [];

    private Stream _stream = null!;
    private PipeReader _input = null!;
    private PipeWriter _output = null!;
    private bool _secure;
    private string? _cipher;

    private SmtpState _state = SmtpState.Connected;
    private SessionMode _mode = SessionMode.Command;
    private MailArguments? _mail;
    private IMessageDraft? _draft;
    private long _chunkRemaining;
    private bool _chunkLast;
    private bool _chunkDiscard;
    private long _chunkTotal;
    private int _errors;
    private int _authFailures;
    private AuthStep _authStep;
    private string? _authUser;
    private string? _authPassword;
    private string? _user;
    private volatile bool _stopping;
    private int _closed;

    /// <summary>Completions run on the epoll thread (<see cref="InlineCompletions"/>); false for TLS, a spooled message, and where the runtime cannot.</summary>
    private bool _inline;

    public SmtpSession(SmtpServer server, Socket socket, SmtpEndpoint endpoint, long id, bool inline = false)
    {
        _inline = inline;
        _server = server;
        _options = server.Options;
        _socket = socket;
        _endpoint = endpoint;
        Id = id;
        RemoteEndPoint = Normalize(socket.RemoteEndPoint as IPEndPoint);
        LocalEndPoint = Normalize(socket.LocalEndPoint as IPEndPoint);
        _timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _options.Time);
        _record = new SessionRecord(id, "in", RemoteEndPoint, _options.Time.GetUtcNow(), _options.Sessions.MaxLines, _options.Sessions.MaxSessionBytes);
        _options.Sessions.Add(_record);
    }

    public long Id { get; }
    public IPEndPoint? RemoteEndPoint { get; }
    public IPEndPoint? LocalEndPoint { get; }

    /// <summary>True when a mail transaction is open (shutdown waits for it).</summary>
    private bool InTransaction => _state is SmtpState.Mail or SmtpState.Recipients or SmtpState.Chunking || _mode is SessionMode.Data or SessionMode.Chunk;

    void IThreadPoolWorkItem.Execute() => _ = ExecuteAsync();

    public async Task ExecuteAsync()
    {
        _lineBuffer = ArrayPool<byte>.Shared.Rent(SmtpLimits.AuthLine);
        try
        {
            Stream stream = new NetworkStream(_socket, ownsSocket: false);
            if (_endpoint.ImplicitTls)
                stream = await HandshakeAsync(stream).ConfigureAwait(false);
            UsePipes(stream);
            Reply(_server.Greeting);
            await RunAsync().ConfigureAwait(false);
            await _output.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionFault(ex))
        {
            // Peer gone, broken handshake, or a write after our own abort.
        }
        catch (Exception ex)
        {
            Log.Error("smtp", "session failed", $"session={Id} error={Log.Quote(ex.GetType().Name + ": " + ex.Message)}");
        }
        finally
        {
            Close();
        }
    }

    private static bool IsConnectionFault(Exception ex) =>
        ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException
            or System.Security.Authentication.AuthenticationException or InvalidOperationException { InnerException: IOException };

    private async Task<Stream> HandshakeAsync(Stream plain)
    {
        var ssl = new SslStream(plain, leaveInnerStreamOpen: false);
        _timeout.CancelAfter(_options.HandshakeTimeout);
        await ssl.AuthenticateAsServerAsync(_options.Tls!(), _timeout.Token).ConfigureAwait(false);
        _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
        _secure = true;
        _cipher = ssl.NegotiatedCipherSuite.ToString();
        _record.Cipher = _cipher;
        return ssl;
    }

    private void UsePipes(Stream stream)
    {
        _stream = stream;
        var traced = new TracingStream(stream, _options.Trace, Id, peer: RemoteEndPoint?.Address.ToString());
        _input = PipeReader.Create(traced, _server.ReaderOptions);
        _output = PipeWriter.Create(traced, _server.WriterOptions);
    }

    private async Task RunAsync()
    {
        while (true)
        {
            if (_output.UnflushedBytes > 0)
                await _output.FlushAsync().ConfigureAwait(false);
            if (_stopping && !InTransaction)
            {
                Reply(_server.ShuttingDown);
                return;
            }

            ReadResult result;
            try
            {
                _timeout.CancelAfter(_options.CommandTimeout);
                result = await _input.ReadAsync(_timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (_stopping && !InTransaction)
                {
                    Reply(_server.ShuttingDown);
                    return;
                }
                // RFC 5321 section 4.5.3.2: the server closes an idle session with 421.
                _options.Counters.Reject(SmtpRejection.Timeout);
                _record.State = "timeout";
                Reply(_server.TimedOut);
                return;
            }

            var buffer = result.Buffer;
            var action = Process(buffer, out var consumed, out bool examinedAll);
            // A message past the in-memory limit is written to a file as it arrives: blocking I/O, so the rest of
            // this transaction runs on the pool.
            if (_inline && _draft is { Length: > EmbeddedDraft.MemoryLimit })
                LeaveEventThread();
            if (action == SessionAction.StartTls)
            {
                // RFC 3207 section 4.2 and CVE-2011-0411: plaintext pipelined after STARTTLS is discarded, never executed.
                _input.AdvanceTo(buffer.End);
            }
            else
            {
                _input.AdvanceTo(consumed, examinedAll ? buffer.End : consumed);
            }

            switch (action)
            {
                case SessionAction.NeedMore:
                    if (result.IsCompleted)
                    {
                        _record.State = InTransaction ? "lost" : "closed";
                        return;
                    }
                    break;
                case SessionAction.Close:
                    return;
                case SessionAction.Commit:
                    await CommitAsync().ConfigureAwait(false);
                    break;
                case SessionAction.StartTls:
                    // The handshake and every TLS record after it cost milliseconds of CPU: not on the epoll thread.
                    LeaveEventThread();
                    await _output.FlushAsync().ConfigureAwait(false);
                    await _input.CompleteAsync().ConfigureAwait(false);
                    await _output.CompleteAsync().ConfigureAwait(false);
                    UsePipes(await HandshakeAsync(_stream).ConfigureAwait(false));
                    // RFC 3207 section 4.2: forget everything learnt before TLS; the client must EHLO again.
                    ResetTransaction();
                    _state = SmtpState.Connected;
                    break;
                case SessionAction.Authenticate:
                    await AuthenticateAsync().ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>Parses what is buffered; stops where an await is needed.</summary>
    private SessionAction Process(ReadOnlySequence<byte> buffer, out SequencePosition consumed, out bool examinedAll)
    {
        var reader = new SequenceReader<byte>(buffer);
        examinedAll = false;
        while (true)
        {
            SessionAction action;
            switch (_mode)
            {
                case SessionMode.Data:
                    if (!_unstuffer.Decode(ref reader, (IMessageSink?)_draft ?? DiscardSink.Instance))
                    {
                        action = SessionAction.NeedMore;
                        break;
                    }
                    _mode = SessionMode.Command;
                    action = EndOfData();
                    break;

                case SessionMode.Chunk:
                    action = ReadChunk(ref reader);
                    break;

                case SessionMode.SkipLine:
                    if (!SmtpLineReader.TrySkipLine(ref reader))
                    {
                        action = SessionAction.NeedMore;
                        break;
                    }
                    _mode = SessionMode.Command;
                    continue;

                case SessionMode.AuthResponse:
                {
                    var status = SmtpLineReader.TryRead(ref reader, SmtpLimits.AuthLine, _lineBuffer, out var line);
                    if (status == LineStatus.NeedMore)
                    {
                        action = SessionAction.NeedMore;
                        break;
                    }
                    _record.AddLine('c', "[AUTH response]");
                    action = status == LineStatus.Done ? AuthResponse(line) : AuthAbort(SmtpReplies.AuthBase64, status);
                    break;
                }

                default:
                {
                    var status = SmtpLineReader.TryRead(ref reader, SmtpLimits.CommandLine, _lineBuffer, out var line);
                    switch (status)
                    {
                        case LineStatus.NeedMore:
                            action = SessionAction.NeedMore;
                            break;
                        case LineStatus.TooLong:
                        case LineStatus.TooLongOpen:
                            _options.Counters.Reject(SmtpRejection.LineTooLong);
                            _record.AddLine('c', "[line over 512 octets]");
                            if (status == LineStatus.TooLongOpen)
                                _mode = SessionMode.SkipLine;
                            action = Error(SmtpReplies.LineTooLong);
                            break;
                        case LineStatus.BareCr:
                            _options.Counters.Reject(SmtpRejection.BareLineEnding);
                            _record.AddLine('c', "[line with bare CR]");
                            action = Error(SmtpReplies.BareCr);
                            break;
                        default:
                            action = Command(line);
                            break;
                    }
                    break;
                }
            }

            if (action == SessionAction.NeedMore)
            {
                consumed = reader.Position;
                examinedAll = true;
                return action;
            }
            if (action != (SessionAction)(-1))
            {
                consumed = reader.Position;
                return action;
            }
        }
    }

    /// <summary>Returned by handlers that finished synchronously: keep parsing.</summary>
    private const SessionAction Continue = (SessionAction)(-1);

    private SessionAction Error(ReadOnlySpan<byte> reply)
    {
        Reply(reply);
        if (++_errors >= SmtpLimits.Errors)
        {
            _options.Counters.Reject(SmtpRejection.TooManyErrors);
            Reply(_server.TooManyErrors);
            return SessionAction.Close;
        }
        return Continue;
    }

    private SessionAction Command(ReadOnlySpan<byte> line)
    {
        bool known = SmtpCommandParser.TryMake(line, out var command);
        _record.AddLine('c', command.Kind == SmtpCommandKind.Auth ? RedactAuth(line) : Encoding.UTF8.GetString(line));
        if (!known)
        {
            _options.Counters.Reject(SmtpRejection.Syntax);
            return Error(SmtpReplies.Unrecognized);
        }
        var argument = command.Argument(line);

        if (command.Kind == SmtpCommandKind.Bdat)
            return Bdat(argument);

        if (!SmtpStateTable.IsAllowed(_state, command.Kind))
        {
            _options.Counters.Reject(SmtpRejection.Sequence);
            return Error(SequenceReply(command.Kind));
        }

        switch (command.Kind)
        {
            case SmtpCommandKind.Ehlo:
            case SmtpCommandKind.Helo:
                if (argument.IsEmpty)
                    return Error(SmtpReplies.HeloSyntax);
                ResetTransaction();
                _state = SmtpState.Ready;
                _record.HeloName = Encoding.UTF8.GetString(argument);
                _record.State = "ready";
                if (command.Kind == SmtpCommandKind.Helo)
                    Reply(_server.HeloReply);
                else
                    WriteEhlo();
                return Continue;

            case SmtpCommandKind.Mail:
                return Mail(argument);

            case SmtpCommandKind.Rcpt:
                return Rcpt(argument);

            case SmtpCommandKind.Data:
                if (!argument.IsEmpty)
                    return Error(SmtpReplies.NoArguments);
                if (!BeginMessage())
                    return Continue;
                _unstuffer.Reset(_options.MaxMessageSize);
                _mode = SessionMode.Data;
                _record.State = "data";
                Reply(SmtpReplies.StartData);
                return Continue;

            case SmtpCommandKind.Rset:
                ResetTransaction();
                if (_state != SmtpState.Connected) _state = SmtpState.Ready;
                Reply(SmtpReplies.Ok);
                return Continue;

            case SmtpCommandKind.Noop:
                Reply(SmtpReplies.Ok);
                return Continue;

            case SmtpCommandKind.Quit:
                _record.State = "quit";
                Reply(SmtpReplies.Bye);
                return SessionAction.Close;

            case SmtpCommandKind.Vrfy:
                Reply(SmtpReplies.Vrfy);
                return Continue;

            case SmtpCommandKind.Expn:
                Reply(SmtpReplies.Expn);
                return Continue;

            case SmtpCommandKind.Help:
                Reply(SmtpReplies.Help);
                return Continue;

            case SmtpCommandKind.StartTls:
                if (_secure)
                    return Error(SmtpReplies.AlreadyTls);
                if (_options.Tls is null)
                    return Error(SmtpReplies.NotImplemented);
                if (!argument.IsEmpty)
                    return Error(SmtpReplies.NoArguments);
                Reply(SmtpReplies.ReadyTls);
                return SessionAction.StartTls;

            case SmtpCommandKind.Auth:
                return Auth(argument);

            default:
                return Error(SmtpReplies.Unrecognized);
        }
    }

    private ReadOnlySpan<byte> SequenceReply(SmtpCommandKind kind) => (_state, kind) switch
    {
        (SmtpState.Connected, _) => SmtpReplies.NeedHelo,
        (_, SmtpCommandKind.Mail) => SmtpReplies.NestedMail,
        (_, SmtpCommandKind.Rcpt) => SmtpReplies.NeedMail,
        (_, SmtpCommandKind.Data) => SmtpReplies.NeedRcpt,
        (SmtpState.Mail or SmtpState.Recipients, SmtpCommandKind.Auth) => SmtpReplies.AuthInTransaction,
        _ => SmtpReplies.BadSequence,
    };

    private void WriteEhlo()
    {
        var span = _output.GetSpan(512);
        int n = 0;
        Append(span, ref n, _server.EhloFirstLine);
        Append(span, ref n, "250-PIPELINING\r\n250-SIZE "u8);
        Utf8Formatter.TryFormat(_options.MaxMessageSize, span[n..], out int written);
        n += written;
        Append(span, ref n, "\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-ENHANCEDSTATUSCODES\r\n250-CHUNKING\r\n"u8);
        if (_options.AdvertiseDsn) Append(span, ref n, "250-DSN\r\n"u8);
        if (!_secure && _options.Tls is not null) Append(span, ref n, "250-STARTTLS\r\n"u8);
        // RFC 4954 section 4 allows AUTH before TLS; we do not, so passwords never cross the wire in clear.
        if (_secure && _options.Authenticator is not null && _user is null) Append(span, ref n, "250-AUTH PLAIN LOGIN\r\n"u8);
        Append(span, ref n, "250 HELP\r\n"u8);
        Traced(span[..n]);
        _output.Advance(n);
    }

    private static void Append(Span<byte> span, ref int n, ReadOnlySpan<byte> text)
    {
        text.CopyTo(span[n..]);
        n += text.Length;
    }

    private SessionAction Mail(ReadOnlySpan<byte> argument)
    {
        var status = MailArguments.TryParse(argument, _options.AdvertiseDsn, out var mail);
        if (status != PathStatus.Ok)
            return PathError(status);
        if (mail.Size is long size && size > _options.MaxMessageSize)
        {
            _options.Counters.Reject(SmtpRejection.Size);
            Reply(SmtpReplies.SizeExceeded);
            return Continue;
        }
        _mail = mail;
        _recipients.Clear();
        _state = SmtpState.Mail;
        _record.StartTransaction(mail.Sender);
        _record.State = "mail";
        Reply(SmtpReplies.SenderOk);
        return Continue;
    }

    private SessionAction Rcpt(ReadOnlySpan<byte> argument)
    {
        var status = RcptArguments.TryParse(argument, _options.AdvertiseDsn, _mail!.SmtpUtf8, out var rcpt);
        if (status != PathStatus.Ok)
            return PathError(status);
        if (_recipients.Count >= _options.MaxRecipients)
        {
            // RFC 5321 section 4.5.3.1.10: 452 asks the client to send the rest in another transaction.
            _options.Counters.Reject(SmtpRejection.TooManyRecipients);
            Reply(SmtpReplies.TooManyRecipients);
            return Continue;
        }
        if (!MayRelay() && !(_options.IsLocalRecipient?.Invoke(rcpt.Recipient) ?? false))
        {
            _options.Counters.Reject(SmtpRejection.Relay);
            bool canAuth = _options.Authenticator is not null && _user is null;
            return Error(canAuth ? SmtpReplies.AuthRequired : SmtpReplies.RelayDenied);
        }
        _recipients.Add(new InboundRecipient(rcpt.Recipient, rcpt.Notify, rcpt.OriginalRecipient));
        _record.AddRecipient(rcpt.Recipient);
        _state = SmtpState.Recipients;
        _record.State = "rcpt";
        Reply(SmtpReplies.RecipientOk);
        return Continue;
    }

    /// <summary>CONTRACT.md "Mail": loopback always, authenticated users, and <c>smtp-range</c>; nobody else.</summary>
    private bool MayRelay()
    {
        if (_user is not null)
            return true;
        var address = RemoteEndPoint?.Address;
        if (address is null)
            return false;
        foreach (var network in _options.TrustedNetworks)
        {
            if (network.Contains(address)) return true;
        }
        foreach (var network in _options.RelayNetworks)
        {
            if (network.Contains(address)) return true;
        }
        return false;
    }

    private SessionAction PathError(PathStatus status)
    {
        _options.Counters.Reject(SmtpRejection.Syntax);
        return Error(status switch
        {
            PathStatus.UnknownParameter => SmtpReplies.UnknownParameter,
            PathStatus.BadParameter => SmtpReplies.BadParameter,
            PathStatus.NeedsSmtpUtf8 => SmtpReplies.NeedsSmtpUtf8,
            PathStatus.TooLong => SmtpReplies.PathTooLong,
            _ => SmtpReplies.Syntax,
        });
    }

    /// <summary>Opens the spool file; a failure there is the queue's, so 451 and the client retries.</summary>
    private bool BeginMessage()
    {
        try
        {
            _draft = _options.Queue.BeginMessage();
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.Error("smtp", "cannot spool message", $"session={Id} error={Log.Quote(ex.Message)}");
            _options.Counters.Reject(SmtpRejection.Queue);
            Reply(SmtpReplies.QueueFailed);
            return false;
        }
    }

    private SessionAction EndOfData()
    {
        _record.AddLine('c', FormattableString.Invariant($"[message data: {_unstuffer.Size} octets]"));
        switch (_unstuffer.Fault)
        {
            case DataFault.None:
                return SessionAction.Commit;
            case DataFault.TooBig:
                _options.Counters.Reject(SmtpRejection.Size);
                return RefuseMessage(SmtpReplies.SizeExceeded);
            case DataFault.LineTooLong:
                _options.Counters.Reject(SmtpRejection.LineTooLong);
                return RefuseMessage(SmtpReplies.TextLineTooLong);
            default:
                _options.Counters.Reject(SmtpRejection.BareLineEnding);
                return RefuseMessage(SmtpReplies.BareLineEnding);
        }
    }

    private SessionAction RefuseMessage(ReadOnlySpan<byte> reply)
    {
        ResetTransaction();
        _state = SmtpState.Ready;
        _record.State = "refused";
        Reply(reply);
        return Continue;
    }

    /// <summary>RFC 3030: <c>BDAT size [LAST]</c>. The chunk is always read, even when refused, to stay in sync.</summary>
    private SessionAction Bdat(ReadOnlySpan<byte> argument)
    {
        int space = argument.IndexOf((byte)' ');
        var sizeText = space < 0 ? argument : argument[..space];
        var rest = space < 0 ? default : argument[(space + 1)..].Trim((byte)' ');
        if (!Utf8Parser.TryParse(sizeText, out long size, out int used) || used != sizeText.Length || size < 0
            || !(rest.IsEmpty || Ascii.EqualsIgnoreCase(rest, "LAST"u8)))
        {
            // Without a size the chunk cannot be skipped; the session cannot stay in sync.
            Reply(SmtpReplies.Syntax);
            Reply(_server.TooManyErrors);
            return SessionAction.Close;
        }
        _chunkRemaining = size;
        _chunkLast = !rest.IsEmpty;
        _chunkDiscard = false;
        _mode = SessionMode.Chunk;

        if (!SmtpStateTable.IsAllowed(_state, SmtpCommandKind.Bdat))
        {
            _chunkDiscard = true;
            _options.Counters.Reject(SmtpRejection.Sequence);
            _pendingChunkReply = _state == SmtpState.Connected ? 1 : 2;
            return Continue;
        }
        if (_state == SmtpState.Recipients)
        {
            if (!BeginMessage())
            {
                _chunkDiscard = true;
                _pendingChunkReply = 3;
                return Continue;
            }
            _chunkTotal = 0;
            _state = SmtpState.Chunking;
            _record.State = "bdat";
        }
        _pendingChunkReply = 0;
        return Continue;
    }

    // 0 = normal, 1 = need HELO, 2 = bad sequence, 3 = already answered 451.
    private int _pendingChunkReply;

    private SessionAction ReadChunk(ref SequenceReader<byte> reader)
    {
        while (_chunkRemaining > 0 && !reader.End)
        {
            var span = reader.UnreadSpan;
            int take = (int)Math.Min(span.Length, _chunkRemaining);
            if (!_chunkDiscard)
            {
                _chunkTotal += take;
                if (_chunkTotal > _options.MaxMessageSize)
                {
                    _chunkDiscard = true;
                    _pendingChunkReply = 4;
                }
                else
                {
                    _draft!.Write(span[..take]);
                }
            }
            reader.Advance(take);
            _chunkRemaining -= take;
        }
        if (_chunkRemaining > 0)
            return SessionAction.NeedMore;

        _mode = SessionMode.Command;
        _record.AddLine('c', "[BDAT chunk]");
        switch (_pendingChunkReply)
        {
            case 1:
                return Error(SmtpReplies.NeedHelo);
            case 2:
                return Error(SmtpReplies.BadSequence);
            case 3:
                return Continue;
            case 4:
                _options.Counters.Reject(SmtpRejection.Size);
                return RefuseMessage(SmtpReplies.SizeExceeded);
        }
        if (_chunkLast)
            return SessionAction.Commit;
        var span2 = _output.GetSpan(64);
        int n = 0;
        Append(span2, ref n, "250 2.0.0 "u8);
        Utf8Formatter.TryFormat(_chunkTotal, span2[n..], out int written);
        n += written;
        Append(span2, ref n, " octets received\r\n"u8);
        Traced(span2[..n]);
        _output.Advance(n);
        return Continue;
    }

    private async Task CommitAsync()
    {
        var draft = _draft!;
        _draft = null;
        long size = _state == SmtpState.Chunking ? _chunkTotal : _unstuffer.Size;
        try
        {
            var message = new InboundMessage
            {
                Id = draft.Id,
                Envelope = _mail!.Sender,
                Recipients = [.. _recipients],
                Received = _options.Time.GetUtcNow(),
                HostName = _options.HostName,
                Local = LocalEndPoint,
                Remote = RemoteEndPoint,
                Secure = _secure,
                User = _user,
                Ret = _mail.Ret,
                EnvId = _mail.EnvId,
                SmtpUtf8 = _mail.SmtpUtf8,
                EightBitMime = _mail.Body == BodyType.EightBitMime,
                Extracted = _options.Extract ? ExtractHeaders(draft) : [],
            };
            // Resumes on the journal writer (no pool wake-up per message): what follows only sends and reads.
            await _options.Queue.CommitAsync(draft, message, CancellationToken.None, resumeOnCommitter: true).ConfigureAwait(false);
            if (_options.Store is not null && draft is EmbeddedDraft embedded)
            {
                try
                {
                    if (embedded.CommittedPath is { } path)
                    {
                        _options.Store.Add(draft.Id, path, embedded.CommittedLength);
                    }
                    else
                    {
                        // RabbitMQ took the message; finish the spool file in place (no fsync: the store is a convenience) and keep it.
                        string kept = embedded.TempPath + QueueFile.Extension;
                        embedded.Commit(InboundJson.WriteMeta(message), kept, queueDirectory: null);
                        _options.Store.Add(draft.Id, kept, embedded.CommittedLength);
                        File.Delete(kept);
                    }
                }
                catch (IOException ex)
                {
                    Log.Warning("smtp", "message store failed", $"id={draft.Id} error={Log.Quote(ex.Message)}");
                }
            }
            _options.Counters.Message(size);
            _record.Accepted(draft.Id, size);
            _record.State = "accepted";
            var span = _output.GetSpan(96);
            int n = 0;
            Append(span, ref n, "250 2.0.0 Ok: queued as "u8);
            n += Encoding.ASCII.GetBytes(draft.Id, span[n..]);
            Append(span, ref n, "\r\n"u8);
            Traced(span[..n]);
            _output.Advance(n);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.Error("smtp", "queue commit failed", $"session={Id} id={draft.Id} error={Log.Quote(ex.GetType().Name + ": " + ex.Message)}");
            _options.Counters.Reject(SmtpRejection.Queue);
            _record.State = "deferred";
            Reply(SmtpReplies.QueueFailed);
        }
        finally
        {
            draft.Dispose();
            ResetTransaction();
            _state = SmtpState.Ready;
        }
    }

    private static List<KeyValuePair<string, string>> ExtractHeaders(IMessageDraft draft)
    {
        byte[] head = ArrayPool<byte>.Shared.Rent(SmtpLimits.HeaderScan);
        try
        {
            int n = draft.ReadHead(head.AsSpan(0, SmtpLimits.HeaderScan));
            return MqHeaderExtractor.Extract(head.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    private SessionAction Auth(ReadOnlySpan<byte> argument)
    {
        if (_options.Authenticator is null)
            return Error(SmtpReplies.NotImplemented);
        if (!_secure)
            return Error(SmtpReplies.TlsFirst);
        if (_user is not null)
            return Error(SmtpReplies.AlreadyAuthenticated);

        int space = argument.IndexOf((byte)' ');
        var mechanism = space < 0 ? argument : argument[..space];
        var initial = space < 0 ? default : argument[(space + 1)..].Trim((byte)' ');
        if (Ascii.EqualsIgnoreCase(mechanism, "PLAIN"u8))
        {
            if (initial.IsEmpty)
            {
                _authStep = AuthStep.PlainResponse;
                _mode = SessionMode.AuthResponse;
                Reply(SmtpReplies.AuthContinue);
                return Continue;
            }
            _authStep = AuthStep.PlainResponse;
            return AuthResponse(initial);
        }
        if (Ascii.EqualsIgnoreCase(mechanism, "LOGIN"u8))
        {
            _mode = SessionMode.AuthResponse;
            if (initial.IsEmpty)
            {
                _authStep = AuthStep.LoginUser;
                Reply(SmtpReplies.AuthUserName);
                return Continue;
            }
            _authStep = AuthStep.LoginUser;
            return AuthResponse(initial);
        }
        return Error(SmtpReplies.AuthMechanism);
    }

    /// <summary>One client response of the SASL exchange, base64 (RFC 4954 section 4).</summary>
    private SessionAction AuthResponse(ReadOnlySpan<byte> line)
    {
        if (line.SequenceEqual("*"u8))
            return AuthAbort(SmtpReplies.AuthCancelled, LineStatus.Done);
        byte[] decoded = ArrayPool<byte>.Shared.Rent(Base64.GetMaxDecodedFromUtf8Length(line.Length) + 1);
        try
        {
            if (Base64.DecodeFromUtf8(line, decoded, out _, out int length) != OperationStatus.Done)
                return AuthAbort(SmtpReplies.AuthBase64, LineStatus.Done);
            var bytes = decoded.AsSpan(0, length);
            switch (_authStep)
            {
                case AuthStep.PlainResponse:
                {
                    // RFC 4616: authzid NUL authcid NUL passwd; an authzid other than the user is not supported.
                    int first = bytes.IndexOf((byte)0);
                    int second = first < 0 ? -1 : bytes[(first + 1)..].IndexOf((byte)0);
                    if (first < 0 || second < 0)
                        return AuthAbort(SmtpReplies.AuthBase64, LineStatus.Done);
                    var authzid = bytes[..first];
                    var user = bytes.Slice(first + 1, second);
                    var password = bytes[(first + 2 + second)..];
                    if (!authzid.IsEmpty && !authzid.SequenceEqual(user))
                        return AuthAbort(SmtpReplies.AuthFailed, LineStatus.Done);
                    _authUser = Encoding.UTF8.GetString(user);
                    _authPassword = Encoding.UTF8.GetString(password);
                    _mode = SessionMode.Command;
                    return SessionAction.Authenticate;
                }
                case AuthStep.LoginUser:
                    _authUser = Encoding.UTF8.GetString(bytes);
                    _authStep = AuthStep.LoginPassword;
                    _mode = SessionMode.AuthResponse;
                    Reply(SmtpReplies.AuthPassword);
                    return Continue;
                default:
                    _authPassword = Encoding.UTF8.GetString(bytes);
                    _mode = SessionMode.Command;
                    return SessionAction.Authenticate;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(decoded, clearArray: true);
        }
    }

    private SessionAction AuthAbort(ReadOnlySpan<byte> reply, LineStatus status)
    {
        _authStep = AuthStep.None;
        _mode = status == LineStatus.TooLongOpen ? SessionMode.SkipLine : SessionMode.Command;
        _authUser = _authPassword = null;
        return Error(reply);
    }

    private async Task AuthenticateAsync()
    {
        // Backends block (PAM, crypt, LDAP binds); this continuation must not run on the epoll thread.
        if (_inline)
            await Task.Yield();
        string user = _authUser!;
        string password = _authPassword!;
        _authUser = _authPassword = null;
        _authStep = AuthStep.None;
        bool ok;
        try
        {
            ok = user.Length > 0 && password.Length > 0
                && await _options.Authenticator!.AuthenticateAsync(user, password, RemoteEndPoint!, _timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A backend fault looks like a refusal to the client (CONTRACT.md: same answer either way).
            Log.Warning("smtp", "authenticator failed", $"session={Id} error={Log.Quote(ex.GetType().Name)}");
            ok = false;
        }
        if (ok)
        {
            _user = user;
            _record.User = user;
            Reply(SmtpReplies.AuthOk);
            return;
        }
        _options.Counters.Reject(SmtpRejection.Auth);
        Reply(SmtpReplies.AuthFailed);
        if (++_authFailures >= SmtpLimits.AuthFailures)
        {
            Reply(_server.TooManyErrors);
            await _output.FlushAsync().ConfigureAwait(false);
            throw new OperationCanceledException("too many AUTH failures");
        }
    }

    private static string RedactAuth(ReadOnlySpan<byte> line)
    {
        // Keep "AUTH MECHANISM", never the credentials.
        int first = line.IndexOf((byte)' ');
        if (first < 0) return Encoding.UTF8.GetString(line);
        int second = line[(first + 1)..].IndexOf((byte)' ');
        return second < 0 ? Encoding.UTF8.GetString(line) : Encoding.UTF8.GetString(line[..(first + 1 + second)]) + " ****";
    }

    private void ResetTransaction()
    {
        _mail = null;
        _recipients.Clear();
        _draft?.Dispose();
        _draft = null;
        _chunkTotal = 0;
    }

    /// <summary>From now on this socket's completions go through the thread pool (<see cref="InlineCompletions"/>).</summary>
    private void LeaveEventThread()
    {
        if (_inline)
        {
            InlineCompletions.TrySet(_socket, false);
            _inline = false;
        }
    }

    private void Reply(ReadOnlySpan<byte> reply)
    {
        Traced(reply);
        _output.Write(reply);
    }

    private void Traced(ReadOnlySpan<byte> reply)
    {
        // Multi-line replies become one transcript line each.
        var rest = reply;
        while (!rest.IsEmpty)
        {
            int lf = rest.IndexOf((byte)'\n');
            var line = lf < 0 ? rest : rest[..lf];
            if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
            _record.AddLine('s', Encoding.UTF8.GetString(line));
            rest = lf < 0 ? default : rest[(lf + 1)..];
        }
    }

    /// <summary>Graceful stop: an idle session gets 421 now; one in a transaction finishes it first.</summary>
    public void BeginShutdown()
    {
        _stopping = true;
        if (!InTransaction)
        {
            try
            {
                _timeout.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Hard stop at the end of the grace period.</summary>
    public void Abort()
    {
        try
        {
            _socket.Dispose();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
            return;
        ResetTransaction();
        if (_record.State is not ("timeout" or "lost" or "quit"))
            _record.State = "closed";
        try
        {
            _input?.Complete();
            _output?.Complete();
        }
        catch (Exception ex) when (IsConnectionFault(ex))
        {
        }
        try
        {
            _stream?.Dispose();
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
        }
        _socket.Dispose();
        _timeout.Dispose();
        if (_lineBuffer.Length > 0)
            ArrayPool<byte>.Shared.Return(_lineBuffer, clearArray: true);
        _lineBuffer = [];
        _server.OnSessionClosed(this);
    }

    private static IPEndPoint? Normalize(IPEndPoint? endPoint) =>
        endPoint is not null && endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private sealed class DiscardSink : IMessageSink
    {
        public static readonly DiscardSink Instance = new();

        public void Write(ReadOnlySpan<byte> bytes)
        {
        }
    }
}
