using System.Net;
using System.Text;
using MailerQ.Www.Smtp.Client;

namespace MailerQ.Www.Delivery.Tests.Client;

internal static class ClientTestSupport
{
    public static readonly byte[] Mime = Encoding.ASCII.GetBytes(
        "From: sender@example.org\r\nTo: rcpt@example.net\r\nSubject: client test\r\nMessage-ID: <t1@example.org>\r\n\r\nHello.\r\n.leading dot\r\n..two dots\r\n.\r\nend\r\n");

    public static OutgoingEnvelope Envelope(string recipient = "rcpt@example.net") => new("sender@example.org", recipient);

    /// <summary>Test options: generous timeouts except where a test shortens one on purpose.</summary>
    public static SmtpClientOptions Options(Action<SmtpClientOptions>? configure = null)
    {
        var options = new SmtpClientOptions
        {
            HeloName = "client.test",
            ConnectTimeout = TimeSpan.FromSeconds(20),
            GreetingTimeout = TimeSpan.FromSeconds(30),
            EhloTimeout = TimeSpan.FromSeconds(30),
            StartTlsTimeout = TimeSpan.FromSeconds(30),
            MailTimeout = TimeSpan.FromSeconds(30),
            RcptTimeout = TimeSpan.FromSeconds(30),
            DataTimeout = TimeSpan.FromSeconds(30),
            DataBlockTimeout = TimeSpan.FromSeconds(30),
            DataEndTimeout = TimeSpan.FromSeconds(30),
            QuitTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return options;
    }

    public static async Task<SmtpClientConnection> ConnectAsync(IPEndPoint remote, SmtpClientOptions options, string host = "mx.test")
    {
        var (connection, failure) = await SmtpClientConnection.ConnectAsync(remote, host, options, CancellationToken.None);
        Assert.True(connection is not null, $"connect failed: {failure}");
        Assert.Null(failure);
        return connection;
    }

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
