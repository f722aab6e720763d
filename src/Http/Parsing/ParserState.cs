namespace MailerQ.Www.Http.Parsing;

/// <summary>Where <see cref="HttpRequestParser"/> stands inside the request head (RFC 9112 §2.1).</summary>
internal enum ParserState : byte
{
    /// <summary>Expecting the request-line (empty lines before it are skipped, RFC 9112 §2.2).</summary>
    RequestLine,

    /// <summary>Expecting a field line or the empty line that ends the head.</summary>
    Headers,

    /// <summary>The head is complete; <see cref="HttpRequestParser.Reset"/> starts the next request.</summary>
    Done,
}
