using System.Net;
using MailerQ.Www.Smtp.Queue;
using MailerQ.Www.Smtp.Storage;

namespace MailerQ.Www.Smtp.Tests;

/// <summary>A real server on 127.0.0.1 with an ephemeral port and a private data directory.</summary>
internal sealed class SmtpTestServer : IAsyncDisposable
{
    private SmtpTestServer(string dataDirectory, SmtpServer server, EmbeddedQueue queue)
    {
        DataDirectory = dataDirectory;
        Server = server;
        Queue = queue;
    }

    public string DataDirectory { get; }
    public SmtpServer Server { get; }
    public EmbeddedQueue Queue { get; }
    public SmtpServerOptions Options => Server.Options;
    public int Port => Server.BoundEndPoints[0].Port;

    public static SmtpTestServer Start(Action<SmtpServerOptions>? configure = null, string? dataDirectory = null, bool implicitTls = false)
    {
        dataDirectory ??= Directory.CreateTempSubdirectory("mailerq-smtp-").FullName;
        var queue = EmbeddedQueue.Open(dataDirectory);
        var options = new SmtpServerOptions
        {
            Queue = queue,
            HostName = "mx.test",
            Store = new MessageStore(dataDirectory),
        };
        options.Endpoints.Add(new SmtpEndpoint(new IPEndPoint(IPAddress.Loopback, 0), implicitTls));
        configure?.Invoke(options);
        var server = new SmtpServer(options);
        server.Start();
        return new SmtpTestServer(dataDirectory, server, queue);
    }

    public Task<SmtpTestClient> ConnectAsync(IPAddress? from = null) => SmtpTestClient.ConnectAsync(Port, from);

    public List<(InboundMessage Message, byte[] Mime)> Queued()
    {
        var list = new List<(InboundMessage, byte[])>();
        foreach (var id in Queue.List(Queue.InboxQueue))
            list.Add(Queue.Read(Queue.InboxQueue, id)!.Value);
        return list;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync(TimeSpan.FromSeconds(2));
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
