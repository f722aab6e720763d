using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailerQ.Www.Auth;
using MailerQ.Www.Auth.Radius;
using MailerQ.Www.AuthNet.Tests.Fixtures;

namespace MailerQ.Www.AuthNet.Tests.Radius;

/// <summary>
/// Replies a real FreeRADIUS never sends, from an in-process responder: each must be ignored (the
/// client keeps waiting), so only an authentic reply decides the login.
/// </summary>
public sealed class RadiusFakeServerTests
{
    private const string Secret = "fake-server-secret";
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan TryTimeout = TimeSpan.FromMilliseconds(400);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RadiusAuthBackend Backend(int port, string identifier = "mailerq-nas")
    {
        Assert.True(RadiusUrl.TryParse($"radius://{identifier}:{Secret}@127.0.0.1:{port}", out var url, out string? error), error);
        return new RadiusAuthBackend(url!, Budget, TryTimeout);
    }

    [Fact]
    public async Task Sends_what_rfc2865_asks_for()
    {
        await using var server = new FakeRadiusServer((request, _) => [RadiusTestPacket.Reply(request, 2, Secret)]);
        var result = await Backend(server.Port).AuthenticateAsync("bob", "the password", Token);

        Assert.Equal(AuthOutcome.Accepted, result.Outcome);
        var request = Assert.Single(server.Requests);
        Assert.Equal(1, request.Code);
        Assert.Equal("bob", request.Text(1));
        Assert.Equal("the password", request.Password(Secret));
        Assert.Equal("mailerq-nas", request.Text(32));
        Assert.Equal(IPAddress.Loopback, request.NasIpAddress);
        Assert.True(request.MessageAuthenticatorValid(Secret));
    }

    [Fact]
    public async Task Request_authenticators_and_ids_are_fresh_per_login()
    {
        await using var server = new FakeRadiusServer((request, _) => [RadiusTestPacket.Reply(request, 3, Secret)]);
        var backend = Backend(server.Port);
        for (int i = 0; i < 8; i++)
            await backend.AuthenticateAsync("bob", "pw", Token);

        var authenticators = server.Requests.Select(r => Convert.ToHexString(r.Authenticator)).Distinct().Count();
        Assert.Equal(8, authenticators);
        Assert.True(server.Requests.Select(r => r.Id).Distinct().Count() > 1);
    }

    [Theory]
    [InlineData("bad response authenticator")]
    [InlineData("no message authenticator")]
    [InlineData("bad message authenticator")]
    [InlineData("wrong id")]
    [InlineData("wrong secret")]
    [InlineData("access-request code")]
    [InlineData("garbage")]
    public async Task A_reply_that_fails_verification_is_ignored_until_the_timeout(string fault)
    {
        await using var server = new FakeRadiusServer((request, _) => [Faulty(request, fault)]);
        var clock = Stopwatch.StartNew();
        var result = await Backend(server.Port).AuthenticateAsync("bob", "pw", Token);

        Assert.Equal(AuthOutcome.Error, result.Outcome);
        Assert.Equal(RadiusLimits.TriesPerHost, server.Requests.Count);
        Assert.True(clock.Elapsed < Budget + TimeSpan.FromSeconds(0.5), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("bad response authenticator")]
    [InlineData("no message authenticator")]
    [InlineData("bad message authenticator")]
    [InlineData("wrong id")]
    [InlineData("oversized")]
    public async Task The_authentic_reply_after_a_forged_one_still_counts(string fault)
    {
        // A forged Access-Accept first, then the real Access-Reject: the forgery must not win.
        await using var server = new FakeRadiusServer((request, _) => [Faulty(request, fault, code: 2), RadiusTestPacket.Reply(request, 3, Secret)]);
        var result = await Backend(server.Port).AuthenticateAsync("bob", "pw", Token);
        Assert.Equal(AuthOutcome.Rejected, result.Outcome);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_reply_from_another_port_is_ignored()
    {
        using var spoofer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        spoofer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var server = new FakeRadiusServer((request, client) =>
        {
            // A correctly signed Access-Accept, but from a socket the client never sent to.
            spoofer.SendTo(RadiusTestPacket.Reply(request, 2, Secret), client);
            return [];
        });
        var result = await Backend(server.Port).AuthenticateAsync("bob", "pw", Token);
        Assert.Equal(AuthOutcome.Error, result.Outcome);
    }

    [Fact]
    public async Task Retransmits_the_same_packet_and_takes_the_answer_to_a_later_try()
    {
        int seen = 0;
        await using var server = new FakeRadiusServer((request, _) =>
            Interlocked.Increment(ref seen) < 2 ? [] : [RadiusTestPacket.Reply(request, 2, Secret)]);
        var result = await Backend(server.Port).AuthenticateAsync("bob", "pw", Token);

        Assert.Equal(AuthOutcome.Accepted, result.Outcome);
        var requests = server.Requests;
        Assert.Equal(2, requests.Count);
        // RFC 5080 §2.2.1: a retransmission keeps the ID and the Request Authenticator.
        Assert.Equal(requests[0].Bytes, requests[1].Bytes);
    }

    [Fact]
    public async Task An_access_challenge_counts_as_a_rejection()
    {
        await using var server = new FakeRadiusServer((request, _) => [RadiusTestPacket.Reply(request, 11, Secret, attributes: (24, [1, 2, 3]))]);
        Assert.Equal(AuthOutcome.Rejected, (await Backend(server.Port).AuthenticateAsync("bob", "pw", Token)).Outcome);
    }

    [Theory]
    [InlineData("bob", "")]
    [InlineData("", "pw")]
    [InlineData("bob\0", "pw")]
    [InlineData("bo\nb", "pw")]
    public async Task Empty_passwords_and_control_characters_are_never_sent(string user, string password)
    {
        await using var server = new FakeRadiusServer((request, _) => [RadiusTestPacket.Reply(request, 2, Secret)]);
        Assert.Equal(AuthOutcome.Rejected, (await Backend(server.Port).AuthenticateAsync(user, password, Token)).Outcome);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Overlong_names_and_passwords_are_refused_unsent()
    {
        await using var server = new FakeRadiusServer((request, _) => [RadiusTestPacket.Reply(request, 2, Secret)]);
        var backend = Backend(server.Port);
        Assert.Equal(AuthOutcome.Rejected, (await backend.AuthenticateAsync("bob", new string('p', 129), Token)).Outcome);
        Assert.Equal(AuthOutcome.Rejected, (await backend.AuthenticateAsync(new string('b', 254), "pw", Token)).Outcome);
        Assert.Equal(AuthOutcome.Accepted, (await backend.AuthenticateAsync(new string('b', 253), new string('p', 128), Token)).Outcome);
        Assert.Equal(new string('p', 128), Assert.Single(server.Requests).Password(Secret));
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_an_answer()
    {
        await using var server = new FakeRadiusServer((_, _) => []);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancel.CancelAfter(100);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await Backend(server.Port).AuthenticateAsync("bob", "pw", cancel.Token));
    }

    private static byte[] Faulty(RadiusTestPacket request, string fault, byte code = 2) => fault switch
    {
        "bad response authenticator" => RadiusTestPacket.Reply(request, code, Secret, breakResponseAuthenticator: true),
        "no message authenticator" => RadiusTestPacket.Reply(request, code, Secret, messageAuthenticator: false),
        "bad message authenticator" => RadiusTestPacket.Reply(request, code, Secret, breakMessageAuthenticator: true),
        "wrong id" => RadiusTestPacket.Reply(request, code, Secret, id: (byte)(request.Id ^ 0x55)),
        "wrong secret" => RadiusTestPacket.Reply(request, code, "some-other-secret"),
        "access-request code" => RadiusTestPacket.Reply(request, 1, Secret),
        "garbage" => [1, 2, 3],
        "oversized" => [.. RadiusTestPacket.Reply(request, code, Secret), .. new byte[5000]],
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };
}
