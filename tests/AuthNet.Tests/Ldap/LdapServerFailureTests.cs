using System.Diagnostics;
using System.Net.Sockets;
using MailerQ.Www.Auth;
using MailerQ.Www.Auth.Ldap;
using MailerQ.Www.AuthNet.Tests.Fixtures;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.AuthNet.Tests.Ldap;

/// <summary>
/// Down, stopped, silent and misbehaving servers: each login ends as <see cref="AuthOutcome.Error"/> (or
/// a rejection) within its budget and never throws. The odd answers come from an in-process fake.
/// </summary>
public sealed class LdapServerFailureTests
{
    private static readonly TimeSpan ShortBudget = TimeSpan.FromSeconds(2);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static LdapAuthBackend Backend(string url, TimeSpan budget)
    {
        Assert.True(LdapUrl.TryParse(url, out var parsed, out string? error), error);
        return new LdapAuthBackend(parsed!, null, budget);
    }

    [Fact]
    public async Task A_stopped_server_is_an_error_at_once()
    {
        await using var slapd = await SlapdServer.StartAsync();
        var backend = LdapAuthBackend.Create(ConfigEntries.WwwAuth($"ldap://127.0.0.1:{slapd.Port}/{SlapdServer.PeopleDn}"), new ConfigDiagnostics())!;
        Assert.Equal(AuthOutcome.Accepted, (await backend.AuthenticateAsync("alice", SlapdServer.AlicePassword, Token)).Outcome);

        await slapd.StopAsync();
        var clock = Stopwatch.StartNew();
        var result = await backend.AuthenticateAsync("alice", SlapdServer.AlicePassword, Token);

        Assert.Equal(AuthOutcome.Error, result.Outcome);
        Assert.Contains("ConnectionRefused", result.Detail, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_server_that_accepts_and_never_answers_is_an_error_within_the_ten_second_budget()
    {
        await using var silent = new FakeTcpServer((_, ct) => Task.Delay(Timeout.Infinite, ct));
        var backend = LdapAuthBackend.Create(ConfigEntries.WwwAuth($"ldap://127.0.0.1:{silent.Port}/dc=example,dc=org"), new ConfigDiagnostics())!;

        var clock = Stopwatch.StartNew();
        var result = await backend.AuthenticateAsync("alice", "pw", Token);

        Assert.Equal(AuthOutcome.Error, result.Outcome);
        Assert.Contains("no answer within 9 s", result.Detail, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, LdapLimits.AttemptBudget - TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));
        Assert.Equal(1, silent.Accepted);
    }

    [Fact]
    public async Task A_tls_handshake_that_never_completes_is_an_error_within_the_budget()
    {
        await using var silent = new FakeTcpServer((_, ct) => Task.Delay(Timeout.Infinite, ct));
        var clock = Stopwatch.StartNew();
        var result = await Backend($"ldaps://127.0.0.1:{silent.Port}/dc=x", ShortBudget).AuthenticateAsync("alice", "pw", Token);
        Assert.Equal(AuthOutcome.Error, result.Outcome);
        Assert.InRange(clock.Elapsed, ShortBudget - TimeSpan.FromMilliseconds(100), ShortBudget + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_closed_port_is_an_error_at_once()
    {
        int port = FreePort.Tcp();
        var result = await Backend($"ldap://127.0.0.1:{port}/dc=x", ShortBudget).AuthenticateAsync("alice", "pw", Token);
        Assert.Equal(AuthOutcome.Error, result.Outcome);
    }

    [Fact]
    public async Task An_unresolvable_host_is_an_error()
    {
        var result = await Backend("ldap://no-such-host.invalid/dc=x", ShortBudget).AuthenticateAsync("alice", "pw", Token);
        Assert.Equal(AuthOutcome.Error, result.Outcome);
    }

    [Fact]
    public async Task Empty_passwords_and_control_characters_never_reach_the_server()
    {
        await using var server = new FakeTcpServer((_, ct) => Task.Delay(Timeout.Infinite, ct));
        var backend = Backend($"ldap://127.0.0.1:{server.Port}/dc=x", ShortBudget);

        Assert.Equal(AuthOutcome.Rejected, (await backend.AuthenticateAsync("alice", "", Token)).Outcome);
        Assert.Equal(AuthOutcome.Rejected, (await backend.AuthenticateAsync("alice\0", "pw", Token)).Outcome);
        Assert.Equal(AuthOutcome.Rejected, (await backend.AuthenticateAsync("", "pw", Token)).Outcome);
        Assert.Equal(AuthOutcome.Rejected, (await backend.AuthenticateAsync(new string('a', 300), "pw", Token)).Outcome);
        Assert.Equal(0, server.Accepted);
    }

    [Fact]
    public async Task The_bind_request_on_the_wire_is_the_escaped_dn_and_the_password()
    {
        byte[]? seen = null;
        await using var server = new FakeTcpServer(async (stream, ct) =>
        {
            seen = await FakeTcpServer.ReadLdapMessageAsync(stream, ct);
            await stream.WriteAsync(Convert.FromHexString("300C02010261070A013104000400"), ct);
            await FakeTcpServer.ReadLdapMessageAsync(stream, ct); // the unbind
        });
        var result = await Backend($"ldap://127.0.0.1:{server.Port}/ou=people,dc=x", ShortBudget).AuthenticateAsync("a,b", "pw", Token);

        Assert.Equal(AuthOutcome.Rejected, result.Outcome);
        byte[] dn = "uid=a\\,b,ou=people,dc=x"u8.ToArray();
        byte[] bind = [0x60, (byte)(3 + 2 + dn.Length + 4), 0x02, 0x01, 0x03, 0x04, (byte)dn.Length, .. dn, 0x80, 0x02, .. "pw"u8];
        Assert.Equal([0x30, (byte)(3 + bind.Length), 0x02, 0x01, 0x02, .. bind], seen);
    }

    [Theory]
    [InlineData("300C02010261070A013504000400", "Rejected")]   // 53 unwillingToPerform
    [InlineData("300C02010261070A013004000400", "Rejected")]   // 48 inappropriateAuthentication
    [InlineData("300C02010261070A013304000400", "Error")]      // 51 busy
    [InlineData("300C02010261070A012204000400", "Error")]      // 34 invalidDNSyntax: a bad base DN
    [InlineData("300C02010261070A010A04000400", "Error")]      // 10 referral
    [InlineData("300C02010361070A010004000400", "Error")]      // success, but for message 3
    [InlineData("300C02010078070A013404000400", "Error")]      // Notice of Disconnection (message 0, §4.4.1)
    [InlineData("300C02010264070A010004000400", "Error")]      // success in a SearchResultEntry tag
    [InlineData("300C020102610A0A0100040004", "Error")]        // malformed
    [InlineData("3084FFFFFFFF", "Error")]                      // announces 4 GiB
    [InlineData("300C0201026107", "Error")]                    // cut short, then the server closes
    public async Task Odd_bind_responses_never_accept(string responseHex, string outcome)
    {
        await using var server = new FakeTcpServer(async (stream, ct) =>
        {
            await FakeTcpServer.ReadLdapMessageAsync(stream, ct);
            await stream.WriteAsync(Convert.FromHexString(responseHex), ct);
        });
        var clock = Stopwatch.StartNew();
        var result = await Backend($"ldap://127.0.0.1:{server.Port}/dc=x", ShortBudget).AuthenticateAsync("alice", "pw", Token);
        Assert.Equal(Enum.Parse<AuthOutcome>(outcome), result.Outcome);
        Assert.True(clock.Elapsed < ShortBudget, $"took {clock.Elapsed}: {result.Detail}");
    }

    [Fact]
    public async Task A_response_split_into_single_bytes_is_read_whole()
    {
        await using var server = new FakeTcpServer(async (stream, ct) =>
        {
            await FakeTcpServer.ReadLdapMessageAsync(stream, ct);
            foreach (byte b in Convert.FromHexString("30840000000C02010261070A010004000400"))
            {
                await stream.WriteAsync(new[] { b }, ct);
                await stream.FlushAsync(ct);
                await Task.Delay(2, ct);
            }
            await FakeTcpServer.ReadLdapMessageAsync(stream, ct);
        });
        var result = await Backend($"ldap://127.0.0.1:{server.Port}/dc=x", ShortBudget).AuthenticateAsync("alice", "pw", Token);
        Assert.Equal(AuthOutcome.Accepted, result.Outcome);
    }

    [Fact]
    public async Task An_endless_response_is_cut_off_at_the_size_limit()
    {
        await using var server = new FakeTcpServer(async (stream, ct) =>
        {
            await FakeTcpServer.ReadLdapMessageAsync(stream, ct);
            // Announces 1 MiB, then keeps sending: refused from the header, nothing buffered beyond it.
            await stream.WriteAsync(Convert.FromHexString("308310000B020102"), ct);
            byte[] junk = new byte[64 * 1024];
            while (!ct.IsCancellationRequested)
                await stream.WriteAsync(junk, ct);
        });
        var result = await Backend($"ldap://127.0.0.1:{server.Port}/dc=x", ShortBudget).AuthenticateAsync("alice", "pw", Token);
        Assert.Equal(AuthOutcome.Error, result.Outcome);
        Assert.Contains("larger than", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_starttls_is_an_error_and_the_password_is_not_sent()
    {
        int messages = 0;
        await using var server = new FakeTcpServer(async (stream, ct) =>
        {
            await FakeTcpServer.ReadLdapMessageAsync(stream, ct);
            Interlocked.Increment(ref messages);
            // ExtendedResponse { protocolError } for message 1.
            await stream.WriteAsync(Convert.FromHexString("300C02010178070A010204000400"), ct);
            await FakeTcpServer.ReadLdapMessageAsync(stream, ct);
            Interlocked.Increment(ref messages);
        });
        var result = await Backend($"ldap://127.0.0.1:{server.Port}/dc=x?starttls", ShortBudget).AuthenticateAsync("alice", "pw", Token);
        Assert.Equal(AuthOutcome.Error, result.Outcome);
        Assert.Contains("StartTLS", result.Detail, StringComparison.Ordinal);
        await Task.Delay(100, Token);
        Assert.Equal(1, Volatile.Read(ref messages));
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_an_answer()
    {
        await using var silent = new FakeTcpServer((_, ct) => Task.Delay(Timeout.Infinite, ct));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancel.CancelAfter(200);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await Backend($"ldap://127.0.0.1:{silent.Port}/dc=x", ShortBudget).AuthenticateAsync("alice", "pw", cancel.Token));
    }
}
