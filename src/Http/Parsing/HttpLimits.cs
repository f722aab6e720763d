namespace MailerQ.Www.Http.Parsing;

/// <summary>The bounds on every input the HTTP parsers accept, each with the source of its default.</summary>
internal static class HttpLimits
{
    /// <summary>
    /// Request line plus every field line, counted from the first byte of the request line up to and
    /// including the CRLF of the empty line that ends the head. CONTRACT.md "HTTP": ≤ 32 KiB → 431.
    /// The same total as nginx's default <c>large_client_header_buffers 4 8k</c> and Kestrel's
    /// <c>MaxRequestHeadersTotalSize</c> (32 KiB).
    /// </summary>
    public const int MaxRequestHeadBytes = 32 * 1024;

    /// <summary>Field lines per request head; Kestrel's <c>MaxRequestHeaderCount</c> default.</summary>
    public const int MaxHeaderCount = 100;

    /// <summary>Request bodies of the console API. CONTRACT.md "HTTP": ≤ 1 MiB → 413; also nginx's
    /// <c>client_max_body_size 1m</c> default.</summary>
    public const long MaxApiBodyBytes = 1024 * 1024;

    /// <summary>
    /// One chunk-size line including its chunk extensions. Extensions carry nothing we use and are a
    /// known resource-exhaustion vector (Node.js CVE-2024-22019 capped them at 16 KiB); 4 KiB is far
    /// beyond any real client, which sends none.
    /// </summary>
    public const int MaxChunkLineBytes = 4096;

    /// <summary>
    /// The whole trailer section of a chunked body (RFC 9112 §7.1.2), which we parse and discard.
    /// Kestrel counts trailers against its header budget; a quarter of ours is plenty for data we drop.
    /// </summary>
    public const int MaxTrailerBytes = MaxRequestHeadBytes / 4;

    /// <summary>A line that straddles buffer segments and is at most this long is copied onto the
    /// stack, longer ones into a rented array (STYLE.md, after Kestrel's HttpParser).</summary>
    public const int StackallocLineBytes = 256;

    /// <summary>First size of the per-connection head buffer: a typical browser head is 0.5–2 KiB, so
    /// one rent covers it; heads up to <see cref="MaxRequestHeadBytes"/> grow it by doubling.</summary>
    public const int InitialHeadBufferBytes = 4096;
}
