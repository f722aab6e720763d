using MailerQ.Www.Delivery.Tests.Fixtures;

namespace MailerQ.Www.Delivery.Tests.Dns;

/// <summary>One private unbound per test class with the zones the MX tests ask about.</summary>
public sealed class DnsZoneFixture : IAsyncLifetime
{
    private UnboundServer? _server;

    /// <summary>A UDP port nothing listens on: queries there fail at once (ICMP port unreachable).</summary>
    internal static int ClosedPort { get; } = UnusedUdpPort();

    private static int UnusedUdpPort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
    }

    internal UnboundServer Server => _server ?? throw new InvalidOperationException("unbound not started");

    public async ValueTask InitializeAsync()
    {
        string[] lines =
        [
            .. Zone("mx.test"),
            "local-data: \"mx.test. 300 IN MX 20 mx20.mx.test.\"",
            "local-data: \"mx.test. 300 IN MX 10 mx10a.mx.test.\"",
            "local-data: \"mx.test. 300 IN MX 10 mx10b.mx.test.\"",
            "local-data: \"mx.test. 300 IN MX 30 nowhere.mx.test.\"",
            "local-data: \"mx10a.mx.test. 300 IN A 192.0.2.10\"",
            "local-data: \"mx10b.mx.test. 300 IN A 192.0.2.11\"",
            "local-data: \"mx10b.mx.test. 300 IN AAAA 2001:db8::11\"",
            "local-data: \"mx20.mx.test. 300 IN A 192.0.2.20\"",

            .. Zone("implicit.test"),
            "local-data: \"implicit.test. 300 IN A 192.0.2.30\"",
            "local-data: \"implicit.test. 300 IN AAAA 2001:db8::30\"",

            .. Zone("nullmx.test"),
            "local-data: \"nullmx.test. 300 IN MX 0 .\"",
            "local-data: \"nullmx.test. 300 IN A 192.0.2.40\"",

            .. Zone("nomail.test"),
            "local-data: \"nomail.test. 300 IN TXT \\\"v=spf1 -all\\\"\"",

            .. Zone("deadhosts.test"),
            "local-data: \"deadhosts.test. 300 IN MX 10 gone.deadhosts.test.\"",

            .. Zone("ttl.test"),
            "local-data: \"ttl.test. 300 IN MX 10 mx.ttl.test.\"",
            "local-data: \"mx.ttl.test. 300 IN A 192.0.2.50\"",

            .. Zone("short.test"),
            "local-data: \"short.test. 5 IN MX 10 mx.short.test.\"",
            "local-data: \"mx.short.test. 5 IN A 192.0.2.51\"",

            .. Zone("override.test"),
            "local-data: \"override.test. 300 IN MX 10 mx20.mx.test.\"",

            "local-zone: \"refused.test.\" refuse",
            // Not a local zone: resolved by forwarding to a dead server, so unbound answers SERVFAIL.
            "local-zone: \"dead.test.\" transparent",
        ];
        string tail = $"""
            forward-zone:
              name: "dead.test."
              forward-addr: 127.0.0.1@{ClosedPort}
            """;
        _server = await UnboundServer.StartAsync(lines, tail);
    }

    /// <summary>A static zone with a SOA whose MINIMUM (120 s) bounds negative answers (RFC 2308).</summary>
    private static string[] Zone(string name) =>
    [
        $"local-zone: \"{name}.\" static",
        $"local-data: \"{name}. 3600 IN SOA ns.{name}. hostmaster.{name}. 1 3600 600 86400 120\"",
    ];

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
