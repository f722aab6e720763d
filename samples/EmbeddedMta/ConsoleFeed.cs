using System.Collections.Concurrent;
using System.Net;
using System.Text;
using MailerQ.Www.Console;
using MailerQ.Www.Core.Messages;
using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Sessions;
using MailerQ.Www.Core.Tracing;

namespace EmbeddedMta;

/// <summary>
/// The seam between this MTA and the console: the engine's events become the console's trace bytes,
/// session records, counters and kept messages. An MTA with its own engine writes one of these.
/// </summary>
internal sealed class ConsoleFeed(ConsoleServer console) : ISmtpObserver, IMessageSource, IQueueSizes
{
    private readonly ConcurrentDictionary<long, (TraceSource Trace, SessionRecord Record)> _open = new();
    private const int KeptMessages = 1000;
    private readonly ConcurrentDictionary<string, byte[]> _messages = new();
    private readonly ConcurrentQueue<string> _order = new();
    private readonly MetricCounter _accepted = console.Metrics.Counter("embedded.accepted");

    public void Opened(long session, IPEndPoint peer)
    {
        var sessions = console.Sessions;
        var record = new SessionRecord(session, "in", peer, DateTimeOffset.UtcNow, sessions.MaxLines, sessions.MaxSessionBytes);
        sessions.Add(record);
        _open[session] = (new TraceSource(console.Trace, session, peer.Address.ToString(), outbound: false), record);
        console.Inbound.Connection();
    }

    public void Bytes(long session, bool fromClient, ReadOnlySpan<byte> bytes)
    {
        if (!_open.TryGetValue(session, out var open))
            return;
        if (fromClient) open.Trace.Received(bytes);
        else open.Trace.Sent(bytes);
        open.Record.AddLine(fromClient ? 'c' : 's', Encoding.Latin1.GetString(bytes).TrimEnd('\r', '\n'));
    }

    public void Accepted(long session, string from, IReadOnlyList<string> recipients, byte[] message)
    {
        string id = Guid.NewGuid().ToString("N");
        _messages[id] = message;
        _order.Enqueue(id);
        while (_order.Count > KeptMessages && _order.TryDequeue(out var oldest))
            _messages.TryRemove(oldest, out _);
        console.Inbound.Message(message.Length);
        _accepted.Increment();
        if (!_open.TryGetValue(session, out var open))
            return;
        open.Record.StartTransaction(from);
        foreach (var rcpt in recipients)
            open.Record.AddRecipient(rcpt);
        open.Record.Accepted(id, message.Length);
    }

    public void Closed(long session)
    {
        if (_open.TryRemove(session, out var open))
            open.Record.State = "closed";
    }

    public byte[]? ReadRaw(string id) => _messages.TryGetValue(id, out var raw) ? raw : null;

    public IReadOnlyList<QueueSize> Read() => [new("accepted", _messages.Count)];
}
