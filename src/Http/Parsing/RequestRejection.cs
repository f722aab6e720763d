namespace MailerQ.Www.Http.Parsing;

/// <summary>
/// Why a request was refused. <see cref="RequestRejectionExtensions.StatusCode"/> maps each reason to
/// the status the connection answers with before it closes (RFC 9112 §2.2, §3, §5, §6, §7).
/// </summary>
internal enum RequestRejection : byte
{
    None,
    InvalidRequestLine,
    UnsupportedHttpVersion,
    RequestLineTooLong,
    HeadersTooLarge,
    InvalidHeaderName,
    InvalidHeaderValue,
    WhitespaceBeforeFirstHeader,
    ObsoleteLineFolding,
    BareCarriageReturn,
    BareLineFeed,
    NulCharacter,
    InvalidContentLength,
    ConflictingContentLength,
    ContentLengthWithTransferEncoding,
    UnsupportedTransferEncoding,
    MissingHost,
    MultipleHost,
    InvalidChunkSize,
    InvalidChunkTerminator,
    ChunkExtensionTooLong,
    BodyTooLarge,
    InvalidTarget,

    /// <summary>
    /// Transfer-Encoding whose framing cannot be trusted: chunked not the final coding or applied twice
    /// (RFC 9112 §6.3 rule 4 and §7: 400, unlike an unknown coding before chunked, which is 501), or any
    /// Transfer-Encoding on an HTTP/1.0 request (RFC 9112 §6.1: treat the framing as faulty).
    /// </summary>
    InvalidTransferEncoding,
}
