using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MailerQ.Www.Delivery.Tests.Engine;

/// <summary>Postfix's smtp-sink on a free loopback port (receive-only; <c>-r</c>/<c>-f</c> make it reply 4xx/5xx to chosen commands).</summary>
internal sealed class SmtpSink : IDisposable
{
    private readonly Process _process;

    private SmtpSink(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public static async Task<SmtpSink> StartAsync(params string[] options)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var psi = new ProcessStartInfo("/usr/sbin/smtp-sink") { RedirectStandardOutput = true, RedirectStandardError = true };
        // As root (CI), smtp-sink insists on dropping privileges to a named user.
        if (Environment.UserName == "root")
        {
            psi.ArgumentList.Add("-u");
            psi.ArgumentList.Add("nobody");
        }
        foreach (var option in options)
            psi.ArgumentList.Add(option);
        psi.ArgumentList.Add($"127.0.0.1:{port}");
        psi.ArgumentList.Add("100");
        var process = Process.Start(psi)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return new SmtpSink(process, port);
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        process.Kill();
        throw new InvalidOperationException("smtp-sink did not start");
    }

    public void Dispose()
    {
        try
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
