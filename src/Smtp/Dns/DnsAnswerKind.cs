namespace MailerQ.Www.Smtp.Dns;

/// <summary>What one query for one name and type said (RFC 2308 terms for the negative cases).</summary>
internal enum DnsAnswerKind
{
    /// <summary>NOERROR with records of the asked type.</summary>
    Records,

    /// <summary>NOERROR without records of the asked type (NODATA): the name exists.</summary>
    NoData,

    /// <summary>NXDOMAIN: the name does not exist.</summary>
    NameError,

    /// <summary>SERVFAIL, REFUSED, other codes, timeout or socket error.</summary>
    Failure,
}
