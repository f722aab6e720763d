namespace MailerQ.Www.Http.Parsing;

/// <summary>Where <see cref="ChunkedBodyDecoder"/> stands inside a chunked body (RFC 9112 §7.1).</summary>
internal enum ChunkedBodyState : byte
{
    /// <summary>Reading the hex digits of chunk-size.</summary>
    ChunkSize,

    /// <summary>Inside BWS and chunk-ext after the size (§7.1.1), up to the CR.</summary>
    ChunkExtension,

    /// <summary>Saw the CR of the chunk-size line; the LF must follow.</summary>
    ChunkSizeLf,

    /// <summary>Copying chunk-data.</summary>
    Data,

    /// <summary>chunk-data is complete; the CR of its CRLF must follow.</summary>
    DataCr,

    /// <summary>Saw the CR after chunk-data; the LF must follow.</summary>
    DataLf,

    /// <summary>After the last-chunk: trailer field lines, then the final CRLF (§7.1.2).</summary>
    Trailers,

    /// <summary>The body is complete; the reader stands at the next request.</summary>
    Done,
}
