namespace MailerQ.Www.Http.Parsing;

/// <summary>The only protocol versions we speak; any other <c>HTTP/x.y</c> is rejected with 505.</summary>
internal enum HttpVersion : byte
{
    Http10,
    Http11,
}
