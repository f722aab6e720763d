// EmbeddedMta: an MTA with its own SMTP engine (TinySmtpServer.cs) that embeds the MailerQ.Www console.
// Usage: EmbeddedMta [smtp-port=2525] [console-port=8485] [www-auth=hardcoded://admin:admin]
using System.Net;
using EmbeddedMta;
using MailerQ.Www.Console;

int smtpPort = args.Length > 0 ? int.Parse(args[0]) : 2525;
int consolePort = args.Length > 1 ? int.Parse(args[1]) : 8485;
string auth = args.Length > 2 ? args[2] : "hardcoded://admin:admin";

// The console: its own HTTP port, hardcoded:// login, the console files the package copied next to us.
await using var console = new ConsoleServer(new ConsoleOptions
{
    Address = IPAddress.Loopback,
    Port = consolePort,
    Auth = [auth],
});
var feed = new ConsoleFeed(console);
console.Messages = feed;   // the message view reads what our engine accepted
console.Queues = feed;     // and the queue size it reports
console.Start();

// Our MTA: every byte, session and accepted message goes to the console through the feed.
var smtp = new TinySmtpServer(new IPEndPoint(IPAddress.Loopback, smtpPort), feed);
smtp.Start();
Console.WriteLine($"smtp on {smtp.LocalEndPoint}, console on http://{console.EndPoints[0]}/");

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
try
{
    await smtp.RunAsync(stop.Token);
}
catch (OperationCanceledException)
{
}
