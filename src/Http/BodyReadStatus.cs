namespace MailerQ.Www.Http;

/// <summary>Outcome of reading a request body.</summary>
internal enum BodyReadStatus : byte
{
    /// <summary>The whole body was read.</summary>
    Ok,
    /// <summary>Over the limit: the response is already set to 413 and the connection will close.</summary>
    TooLarge,
    /// <summary>A bad chunked encoding: the response is already set to 400 and the connection will close.</summary>
    Malformed,
    /// <summary>The client went away or stalled; nothing more will be sent.</summary>
    Aborted,
}
