namespace MailerQ.Www.Http.Parsing;

/// <summary>The outcome of one parser step. Bad input is a value, never an exception.</summary>
internal enum ParseStatus : byte
{
    /// <summary>Everything complete has been consumed; call again when more bytes arrived.</summary>
    NeedMore,

    /// <summary>The element (request head, chunked body) is complete.</summary>
    Done,

    /// <summary>The input is malformed or over a limit; the reason says which. Answer and close.</summary>
    Error,
}
