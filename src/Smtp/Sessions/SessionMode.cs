namespace MailerQ.Www.Smtp.Sessions;

/// <summary>How the session reads its input right now.</summary>
internal enum SessionMode
{
    /// <summary>Command lines (512 octets).</summary>
    Command,

    /// <summary>Discarding the rest of an overlong line.</summary>
    SkipLine,

    /// <summary>DATA content through the dot-unstuffer.</summary>
    Data,

    /// <summary>A BDAT chunk of known size (RFC 3030).</summary>
    Chunk,

    /// <summary>A SASL response line (RFC 4954, 12288 octets).</summary>
    AuthResponse,
}
