using System.Net;
using MailerQ.Www.Smtp;
using MailerQ.Www.Smtp.Queue;

namespace MailerQ.Www.Delivery.Tests.Client;

/// <summary>A second instance of our own inbound server on 127.0.0.1 (ephemeral port, private queue directory).</summary>
internal sealed class InboundPeer : IAsyncDisposable
{
    private InboundPeer(string dataDirectory, SmtpServer server, EmbeddedQueue queue)
    {
        DataDirectory = dataDirectory;
        Server = server;
        Queue = queue;
    }

    public string DataDirectory { get; }
    public SmtpServer Server { get; }
    public EmbeddedQueue Queue { get; }
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Server.BoundEndPoints[0].Port);

    public static InboundPeer Start(Action<SmtpServerOptions>? configure = null)
    {
        string dataDirectory = Directory.CreateTempSubdirectory("mq-client-peer-").FullName;
        var queue = EmbeddedQueue.Open(dataDirectory);
        var options = new SmtpServerOptions { Queue = queue, HostName = "mx.test" };
        options.Endpoints.Add(new SmtpEndpoint(new IPEndPoint(IPAddress.Loopback, 0), ImplicitTls: false));
        configure?.Invoke(options);
        var server = new SmtpServer(options);
        server.Start();
        return new InboundPeer(dataDirectory, server, queue);
    }

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
