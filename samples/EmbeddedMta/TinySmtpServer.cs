using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EmbeddedMta;

/// <summary>What the tiny SMTP server tells its host about each connection.</summary>
internal interface ISmtpObserver
{
    void Opened(long session, IPEndPoint peer);

    /// <summary>Bytes as they crossed the socket; <paramref name="fromClient"/> for what the client sent.</summary>
    void Bytes(long session, bool fromClient, ReadOnlySpan<byte> bytes);

    void Accepted(long session, string from, IReadOnlyList<string> recipients, byte[] message);

    void Closed(long session);
}

/// <summary>
/// A deliberately small SMTP receiver (RFC 5321's minimum: HELO/EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT),
/// standing in for an MTA's own engine. It keeps accepted messages in memory and delivers nothing; its only
/// job here is to show an MTA that is not MailerQ.Www.Smtp feeding the console.
/// </summary>
internal sealed class TinySmtpServer(IPEndPoint endpoint, ISmtpObserver observer)
{
    private readonly TcpListener _listener = new(endpoint);
    private long _sessions;

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public void Start() => _listener.Start();

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(ct).ConfigureAwait(false);
            _ = Task.Run(() => ServeAsync(client, Interlocked.Increment(ref _sessions), ct), ct);
        }
    }

    private async Task ServeAsync(TcpClient client, long id, CancellationToken ct)
    {
        using var _ = client;
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.Latin1);
        observer.Opened(id, (IPEndPoint)client.Client.RemoteEndPoint!);
        string? from = null;
        var recipients = new List<string>();
        try
        {
            await ReplyAsync("220 tiny.example ESMTP ready");
            while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
            {
                observer.Bytes(id, fromClient: true, Encoding.Latin1.GetBytes(line + "\r\n"));
                string verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (verb)
                {
                    case "HELO" or "EHLO": await ReplyAsync("250 tiny.example"); break;
                    case "MAIL": from = Address(line); recipients.Clear(); await ReplyAsync("250 ok"); break;
                    case "RCPT" when from is not null: recipients.Add(Address(line)); await ReplyAsync("250 ok"); break;
                    case "DATA" when recipients.Count > 0:
                        await ReplyAsync("354 end with <CRLF>.<CRLF>");
                        observer.Accepted(id, from!, [.. recipients], await ReadDataAsync(reader, id, ct));
                        from = null;
                        await ReplyAsync("250 queued");
                        break;
                    case "RSET": from = null; recipients.Clear(); await ReplyAsync("250 ok"); break;
                    case "NOOP": await ReplyAsync("250 ok"); break;
                    case "QUIT": await ReplyAsync("221 bye"); return;
                    default: await ReplyAsync("503 bad sequence of commands"); break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException) { }
        finally
        {
            observer.Closed(id);
        }

        async Task ReplyAsync(string reply)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(reply + "\r\n");
            await stream.WriteAsync(bytes, ct).ConfigureAwait(false);
            observer.Bytes(id, fromClient: false, bytes);
        }
    }

    private async Task<byte[]> ReadDataAsync(StreamReader reader, long id, CancellationToken ct)
    {
        var message = new StringBuilder();
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            observer.Bytes(id, fromClient: true, Encoding.Latin1.GetBytes(line + "\r\n"));
            if (line == ".")
                break;
            message.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
        }
        return Encoding.Latin1.GetBytes(message.ToString());
    }

    private static string Address(string line)
    {
        int open = line.IndexOf('<'), close = line.LastIndexOf('>');
        return open >= 0 && close > open ? line[(open + 1)..close] : line[(line.IndexOf(':') + 1)..].Trim();
    }
}
