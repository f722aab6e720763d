namespace MailerQ.Www.Smtp.Dns;

/// <summary>How an MX resolution ended; the engine maps it to MailerQ's <c>dns</c> state results.</summary>
internal enum MxStatus
{
    /// <summary>At least one host with at least one address.</summary>
    Ok,

    /// <summary>NXDOMAIN, or no MX and no A/AAAA, or no MX host has an address: permanent (<c>dns/error</c>).</summary>
    NotFound,

    /// <summary>The domain publishes a null MX (RFC 7505): it accepts no mail, permanent.</summary>
    NullMx,

    /// <summary>SERVFAIL, REFUSED, timeout or network error: try again later.</summary>
    TemporaryFailure,
}
