namespace MailerQ.Www.Http.Parsing;

/// <summary>The four forms of request-target (RFC 9112 §3.2).</summary>
internal enum RequestTargetForm : byte
{
    /// <summary><c>/path?query</c>, the normal case (§3.2.1).</summary>
    Origin,

    /// <summary><c>http://host/path?query</c>, sent to proxies; servers must accept it too (§3.2.2).</summary>
    Absolute,

    /// <summary><c>host:port</c>, only for CONNECT (§3.2.3).</summary>
    Authority,

    /// <summary><c>*</c>, only for a server-wide OPTIONS (§3.2.4).</summary>
    Asterisk,
}
