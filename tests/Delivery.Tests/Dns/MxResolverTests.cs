using System.Net;
using System.Net.Sockets;
using MailerQ.Www.Smtp.Dns;
using Microsoft.Extensions.Time.Testing;

namespace MailerQ.Www.Delivery.Tests.Dns;

public sealed class MxResolverTests(DnsZoneFixture zones) : IClassFixture<DnsZoneFixture>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private MxResolver Resolver(TimeSpan? minTtl = null, Func<string, IReadOnlyList<string>?>? overrides = null) =>
        new(Options(zones.Server.EndPoint, minTtl), _time, overrides);

    private static DnsOptions Options(IPEndPoint server, TimeSpan? minTtl = null, TimeSpan? timeout = null) => new()
    {
        Servers = [server],
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
        Attempts = 1,
        MinTtl = minTtl ?? DnsOptions.DefaultMinTtl,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Mx_hosts_come_lowest_preference_first_with_their_addresses()
    {
        var result = await Resolver().ResolveAsync("mx.test", Ct);

        Assert.Equal(MxStatus.Ok, result.Status);
        Assert.Equal([10, 10, 20], result.Hosts.Select(h => h.Preference));
        Assert.Equal(["mx10a.mx.test", "mx10b.mx.test"], result.Hosts.Take(2).Select(h => h.Name).Order());
        Assert.Equal("mx20.mx.test", result.Hosts[2].Name);
        var b = result.Hosts.Single(h => h.Name == "mx10b.mx.test");
        Assert.Equal([IPAddress.Parse("192.0.2.11"), IPAddress.Parse("2001:db8::11")], b.Addresses);
    }

    [Fact]
    public async Task An_mx_host_without_addresses_is_left_out()
    {
        var result = await Resolver().ResolveAsync("mx.test", Ct);

        Assert.DoesNotContain(result.Hosts, h => h.Name == "nowhere.mx.test");
    }

    [Fact]
    public async Task Hosts_of_equal_preference_are_tried_in_random_order()
    {
        var resolver = Resolver();
        var firsts = new HashSet<string>();
        for (int i = 0; i < 64 && firsts.Count < 2; i++)
            firsts.Add((await resolver.ResolveAsync("mx.test", Ct)).Hosts[0].Name);

        Assert.Equal(["mx10a.mx.test", "mx10b.mx.test"], firsts.Order());
    }

    [Fact]
    public async Task Without_mx_the_domain_itself_is_the_implicit_mx()
    {
        var result = await Resolver().ResolveAsync("Implicit.Test.", Ct);

        Assert.Equal(MxStatus.Ok, result.Status);
        var host = Assert.Single(result.Hosts);
        Assert.Equal("implicit.test", host.Name);
        Assert.Equal(0, host.Preference);
        Assert.Equal([IPAddress.Parse("192.0.2.30"), IPAddress.Parse("2001:db8::30")], host.Addresses);
    }

    [Fact]
    public async Task A_null_mx_refuses_mail_permanently_even_with_an_address()
    {
        var result = await Resolver().ResolveAsync("nullmx.test", Ct);

        Assert.Equal(MxStatus.NullMx, result.Status);
        Assert.Empty(result.Hosts);
        Assert.Contains("RFC 7505", result.Error);
    }

    [Fact]
    public async Task A_domain_that_does_not_exist_is_not_found()
    {
        var result = await Resolver().ResolveAsync("missing.mx.test", Ct);

        Assert.Equal(MxStatus.NotFound, result.Status);
        Assert.Contains("NXDOMAIN", result.Error);
    }

    [Fact]
    public async Task A_domain_with_neither_mx_nor_address_is_not_found()
    {
        var result = await Resolver().ResolveAsync("nomail.test", Ct);

        Assert.Equal(MxStatus.NotFound, result.Status);
        Assert.Contains("no MX and no A/AAAA", result.Error);
    }

    [Fact]
    public async Task Mx_hosts_that_do_not_exist_make_the_domain_not_found()
    {
        var result = await Resolver().ResolveAsync("deadhosts.test", Ct);

        Assert.Equal(MxStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task Servfail_is_a_temporary_failure()
    {
        var result = await Resolver().ResolveAsync("x.dead.test", Ct);

        Assert.Equal(MxStatus.TemporaryFailure, result.Status);
        Assert.Contains("SERVFAIL", result.Error);
    }

    [Fact]
    public async Task Refused_is_a_temporary_failure()
    {
        var result = await Resolver().ResolveAsync("refused.test", Ct);

        Assert.Equal(MxStatus.TemporaryFailure, result.Status);
        Assert.Contains("REFUSED", result.Error);
    }

    [Fact]
    public async Task A_resolver_on_a_closed_port_is_a_temporary_failure()
    {
        var resolver = new MxResolver(Options(new IPEndPoint(IPAddress.Loopback, DnsZoneFixture.ClosedPort), timeout: TimeSpan.FromMilliseconds(500)), _time);

        var result = await resolver.ResolveAsync("mx.test", Ct);

        Assert.Equal(MxStatus.TemporaryFailure, result.Status);
        Assert.NotNull(result.Error);
    }

    [Fact]
    public async Task A_resolver_that_never_answers_is_a_temporary_failure()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var resolver = new MxResolver(Options((IPEndPoint)silent.LocalEndPoint!, timeout: TimeSpan.FromMilliseconds(300)), _time);

        var result = await resolver.ResolveAsync("mx.test", Ct);

        Assert.Equal(MxStatus.TemporaryFailure, result.Status);
    }

    [Fact]
    public async Task An_answer_is_cached_for_its_ttl()
    {
        var resolver = Resolver();
        await resolver.ResolveAsync("ttl.test", Ct);
        int before = zones.Server.CountQueries("ttl.test", "MX");

        _time.Advance(TimeSpan.FromSeconds(299));
        Assert.Equal(MxStatus.Ok, (await resolver.ResolveAsync("ttl.test", Ct)).Status);
        Assert.Equal(before, zones.Server.CountQueries("ttl.test", "MX"));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(MxStatus.Ok, (await resolver.ResolveAsync("ttl.test", Ct)).Status);
        Assert.Equal(before + 1, zones.Server.CountQueries("ttl.test", "MX"));
    }

    [Fact]
    public async Task A_short_ttl_is_raised_to_dns_min_ttl()
    {
        var resolver = Resolver(minTtl: TimeSpan.FromSeconds(60));
        await resolver.ResolveAsync("short.test", Ct);
        int mx = zones.Server.CountQueries("short.test", "MX");
        int a = zones.Server.CountQueries("mx.short.test", "A");

        _time.Advance(TimeSpan.FromSeconds(59)); // the records say 5 s
        await resolver.ResolveAsync("short.test", Ct);
        Assert.Equal(mx, zones.Server.CountQueries("short.test", "MX"));
        Assert.Equal(a, zones.Server.CountQueries("mx.short.test", "A"));

        _time.Advance(TimeSpan.FromSeconds(2));
        await resolver.ResolveAsync("short.test", Ct);
        Assert.Equal(mx + 1, zones.Server.CountQueries("short.test", "MX"));
        Assert.Equal(a + 1, zones.Server.CountQueries("mx.short.test", "A"));
    }

    [Fact]
    public async Task Without_dns_min_ttl_a_short_ttl_expires_on_time()
    {
        var resolver = Resolver(minTtl: TimeSpan.Zero);
        await resolver.ResolveAsync("short.test", Ct);
        int mx = zones.Server.CountQueries("short.test", "MX");

        _time.Advance(TimeSpan.FromSeconds(6));
        await resolver.ResolveAsync("short.test", Ct);
        Assert.Equal(mx + 1, zones.Server.CountQueries("short.test", "MX"));
    }

    [Fact]
    public async Task A_negative_answer_is_cached_for_the_soa_minimum()
    {
        var resolver = Resolver();
        Assert.Equal(MxStatus.NotFound, (await resolver.ResolveAsync("gone.mx.test", Ct)).Status);
        int before = zones.Server.CountQueries("gone.mx.test", "MX");

        _time.Advance(TimeSpan.FromSeconds(119)); // SOA MINIMUM is 120, above dns-min-ttl's 60
        Assert.Equal(MxStatus.NotFound, (await resolver.ResolveAsync("gone.mx.test", Ct)).Status);
        Assert.Equal(before, zones.Server.CountQueries("gone.mx.test", "MX"));

        _time.Advance(TimeSpan.FromSeconds(2));
        await resolver.ResolveAsync("gone.mx.test", Ct);
        Assert.Equal(before + 1, zones.Server.CountQueries("gone.mx.test", "MX"));
    }

    [Fact]
    public async Task Concurrent_lookups_of_one_domain_share_one_query()
    {
        var resolver = Resolver();
        var all = Enumerable.Range(0, 20).Select(_ => resolver.ResolveAsync("mx.test", Ct).AsTask()).ToArray();
        await Task.WhenAll(all);

        Assert.All(all, t => Assert.Equal(MxStatus.Ok, t.Result.Status));
        // One MX query plus A and AAAA for each of the four targets.
        Assert.Equal(9, resolver.QueriesSent);
    }

    [Fact]
    public async Task The_dns_table_replaces_the_mx_lookup()
    {
        var resolver = Resolver(overrides: d => d == "override.test" ? ["192.0.2.99", "mx10a.mx.test"] : null);

        var result = await resolver.ResolveAsync("override.test", Ct);

        Assert.Equal(MxStatus.Ok, result.Status);
        Assert.Equal(["192.0.2.99", "mx10a.mx.test"], result.Hosts.Select(h => h.Name));
        Assert.Equal([0, 1], result.Hosts.Select(h => h.Preference));
        Assert.Equal([IPAddress.Parse("192.0.2.10")], result.Hosts[1].Addresses);
        Assert.Equal(0, zones.Server.CountQueries("override.test", "MX"));
    }

    [Theory]
    [InlineData("[192.0.2.1]", "192.0.2.1")]
    [InlineData("[IPv6:2001:db8::1]", "2001:db8::1")]
    public async Task An_address_literal_is_used_as_it_is(string domain, string address)
    {
        var resolver = new MxResolver(Options(new IPEndPoint(IPAddress.Loopback, DnsZoneFixture.ClosedPort)), _time);

        var result = await resolver.ResolveAsync(domain, Ct);

        Assert.Equal(MxStatus.Ok, result.Status);
        Assert.Equal([IPAddress.Parse(address)], Assert.Single(result.Hosts).Addresses);
        Assert.Equal(0, resolver.QueriesSent);
    }

    [Theory]
    [InlineData("")]
    [InlineData("exa mple.test")]
    [InlineData("a..test")]
    public async Task A_malformed_domain_is_not_found_without_a_query(string domain)
    {
        var resolver = Resolver();

        var result = await resolver.ResolveAsync(domain, Ct);

        Assert.Equal(MxStatus.NotFound, result.Status);
        Assert.Equal(0, resolver.QueriesSent);
    }
}
