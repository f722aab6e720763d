namespace MailerQ.Www.Http.Parsing;

/// <summary>
/// The request method. Method names are case-sensitive (RFC 9110 §9.1), so <c>get</c> is
/// <see cref="Unknown"/>: any syntactically valid token we do not implement lands there (the exact
/// bytes stay in <see cref="HttpRequestHead.MethodBytes"/>) and the server answers it with 501
/// (RFC 9110 §9.1: "An origin server that receives a request method that is unrecognized or not
/// implemented SHOULD respond with the 501").
/// </summary>
internal enum HttpMethod : byte
{
    Unknown,
    Get,
    Head,
    Post,
    Put,
    Delete,
    Patch,
    Options,
    Trace,
    Connect,
}
