using System.Net;
using MailerQ.Www.Smtp;
using MailerQ.Www.Smtp.Queue;

// Usage: MailerQ.Www.SmtpTestHost <data-directory> [amqp-url]
// Prints "listening <port>" once the server accepts on 127.0.0.1, then runs until killed.
// With an amqp URL the RabbitMQ back-end is used (also keeps it rooted for an AOT publish check).
IMessageQueue queue = args.Length > 1
    ? new RabbitMqQueue(new RabbitMqOptions { Address = args[1] }, args[0])
    : EmbeddedQueue.Open(args[0]);
var options = new SmtpServerOptions { Queue = queue, HostName = "crash.test" };
options.Endpoints.Add(new SmtpEndpoint(new IPEndPoint(IPAddress.Loopback, 0), ImplicitTls: false));
var server = new SmtpServer(options);
server.Start();
Console.Out.WriteLine($"listening {server.BoundEndPoints[0].Port}");
Console.Out.Flush();
await Task.Delay(Timeout.Infinite);
