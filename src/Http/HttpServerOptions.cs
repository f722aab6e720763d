namespace MailerQ.Www.Http;

/// <summary>Limits and endpoints of the console's HTTP server; defaults are the contract's.</summary>
internal sealed class HttpServerOptions
{
    /// <summary>Where to listen.</summary>
    public List<HttpEndpoint> Endpoints { get; } = [];

    /// <summary><c>www-connections</c>: the exact cap on simultaneous connections, websockets included.</summary>
    public int MaxConnections { get; set; } = 64;

    /// <summary>A request head must be complete within this time of the connection opening or of
    /// its first byte on a kept-alive connection (contract: 10 s, then 408).</summary>
    public TimeSpan RequestHeadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a kept-alive connection may sit idle between requests (contract: 120 s).</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How long a body read or a response write may make no progress before the
    /// connection is aborted; protects the connection cap from clients that stall.</summary>
    public TimeSpan DataTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>TLS handshake budget (issue: 10 s).</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest request body a handler may read (contract: API bodies ≤ 1 MiB, else 413).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Unread body bytes the server will discard to keep a connection alive after a
    /// handler that ignored the body; beyond that the connection is closed instead.</summary>
    public long MaxDrainBytes { get; set; } = 1024 * 1024;

    /// <summary>Listen backlog per socket.</summary>
    public int Backlog { get; set; } = 512;
}
