namespace MailerQ.Www.Http.Parsing;

/// <summary>Maps a <see cref="RequestRejection"/> to the response status code.</summary>
internal static class RequestRejectionExtensions
{
    public static int StatusCode(this RequestRejection rejection) => rejection switch
    {
        // RFC 9112 §3: "A server that receives a request-target longer than any URI it wishes to parse
        // MUST respond with a 414"; the contract allows 414 for an over-long request line.
        RequestRejection.RequestLineTooLong => 414,

        // RFC 6585 §5: Request Header Fields Too Large (also used for too many fields, and trailers).
        RequestRejection.HeadersTooLarge => 431,

        // RFC 9110 §15.6.6: the major version is not supported.
        RequestRejection.UnsupportedHttpVersion => 505,

        // RFC 9112 §6.1: "A server that receives a request message with a transfer coding it does
        // not understand SHOULD respond with 501 (Not Implemented)".
        RequestRejection.UnsupportedTransferEncoding => 501,

        // RFC 9110 §15.5.14: Content Too Large.
        RequestRejection.BodyTooLarge => 413,

        // Not a rejection: asking is a bug in the caller.
        RequestRejection.None => throw new ArgumentOutOfRangeException(nameof(rejection), "Not a rejection."),

        // Everything else is a malformed message: RFC 9112 §2.2, §3, §5, §6.3, §7 all say 400.
        _ => 400,
    };
}
