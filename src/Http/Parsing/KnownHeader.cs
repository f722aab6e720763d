namespace MailerQ.Www.Http.Parsing;

/// <summary>
/// Field names the server looks at, recognised while parsing so later lookups are an array index.
/// Values are consecutive from 0: they index <see cref="HttpRequestHead"/>'s table.
/// </summary>
internal enum KnownHeader : byte
{
    Host,
    ContentLength,
    TransferEncoding,
    Connection,
    Expect,
    ContentType,
    Accept,
    AcceptEncoding,
    Authorization,
    Cookie,
    IfModifiedSince,
    IfNoneMatch,
    Origin,
    Referer,
    SecWebSocketKey,
    SecWebSocketVersion,
    SecWebSocketProtocol,
    Upgrade,
    UserAgent,
    XCsrfToken,
    XRequestedWith,
}
