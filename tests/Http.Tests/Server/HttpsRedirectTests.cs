using System.Net;
using MailerQ.Www.Http.Redirects;

namespace MailerQ.Www.Http.Tests.Server;

/// <summary>The plain port when HTTPS is on: every request redirected, path and query byte for byte.</summary>
public sealed class HttpsRedirectTests
{
    private static TestServer Start(int securePort) => TestServer.Start(o =>
    {
        o.Endpoints.Clear();
        o.Endpoints.Add(new HttpEndpoint(new IPEndPoint(IPAddress.Loopback, 0))
        {
            Application = new HttpsRedirector(securePort, "console.example.org").HandleAsync,
        });
    });

    private static async Task<RawResponse> SendAsync(TestServer server, string request)
    {
        using var client = await server.ConnectAsync();
        await client.SendAsync(request);
        return await client.ReadResponseAsync();
    }

    [Theory]
    [InlineData("GET", 301)]
    [InlineData("HEAD", 301)]
    [InlineData("POST", 308)]
    [InlineData("DELETE", 308)]
    [InlineData("PUT", 308)]
    public async Task Status_is_301_for_get_and_head_and_308_otherwise(string method, int status)
    {
        await using var server = Start(8443);
        using var client = await server.ConnectAsync();
        await client.SendAsync($"{method} /api/x HTTP/1.1\r\nHost: mq.example.com:8485\r\nContent-Length: 0\r\n\r\n");
        var response = await client.ReadResponseAsync(headRequest: method == "HEAD");
        Assert.Equal(status, response.Status);
        Assert.Equal("https://mq.example.com:8443/api/x", response.Header("location"));
    }

    [Theory]
    [InlineData("/healthz", "https://mq.example.com:8443/healthz")]
    [InlineData("/ws", "https://mq.example.com:8443/ws")]
    [InlineData("/a/b%20c?x=1&y=%2F#", "https://mq.example.com:8443/a/b%20c?x=1&y=%2F")]
    [InlineData("/?q", "https://mq.example.com:8443/?q")]
    [InlineData("/%2e%2e/x?a=b", "https://mq.example.com:8443/%2e%2e/x?a=b")]
    public async Task Location_copies_path_and_query_byte_for_byte(string target, string location)
    {
        await using var server = Start(8443);
        var response = await SendAsync(server, $"GET {target.TrimEnd('#')} HTTP/1.1\r\nHost: mq.example.com\r\n\r\n");
        Assert.Equal(301, response.Status);
        Assert.Equal(location, response.Header("location"));
    }

    [Fact]
    public async Task Port_443_is_omitted()
    {
        await using var server = Start(443);
        var response = await SendAsync(server, "GET /x?y HTTP/1.1\r\nHost: mq.example.com:80\r\n\r\n");
        Assert.Equal("https://mq.example.com/x?y", response.Header("location"));
    }

    [Theory]
    [InlineData("[::1]:8485", "https://[::1]:8443/p")]
    [InlineData("[2001:db8::7]", "https://[2001:db8::7]:8443/p")]
    [InlineData("192.0.2.1:8485", "https://192.0.2.1:8443/p")]
    public async Task Ip_literal_hosts_are_kept(string host, string location)
    {
        await using var server = Start(8443);
        var response = await SendAsync(server, $"GET /p HTTP/1.1\r\nHost: {host}\r\n\r\n");
        Assert.Equal(location, response.Header("location"));
    }

    [Fact]
    public async Task Request_without_host_uses_www_host()
    {
        await using var server = Start(8443);
        var response = await SendAsync(server, "GET /p HTTP/1.0\r\n\r\n");
        Assert.Equal("https://console.example.org:8443/p", response.Header("location"));
    }

    [Theory]
    [InlineData("evil.example\t.x")]
    [InlineData("user@evil.example")]
    [InlineData("evil.example/path")]
    [InlineData("evil example")]
    [InlineData("[::1")]
    [InlineData("a:b:c")]
    public async Task Hostile_host_values_are_refused_before_any_redirect(string host)
    {
        await using var server = Start(8443);
        var response = await SendAsync(server, $"GET /p HTTP/1.1\r\nHost: {host}\r\n\r\n");
        Assert.Equal(400, response.Status);
        Assert.Null(response.Header("location"));
    }

    [Fact]
    public async Task Absolute_form_target_redirects_to_the_request_own_host()
    {
        await using var server = Start(8443);
        var response = await SendAsync(server, "GET http://mq.example.com/x?z HTTP/1.1\r\nHost: mq.example.com\r\n\r\n");
        Assert.Equal("https://mq.example.com:8443/x?z", response.Header("location"));
    }
}
