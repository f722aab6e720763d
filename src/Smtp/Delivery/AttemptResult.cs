namespace MailerQ.Www.Smtp.Delivery;

/// <summary>
/// The outcome of one delivery attempt: MailerQ's result object (5.13/json-results.md) as the SMTP client,
/// the router or the engine produced it. Serialised into the result JSON's <c>results[]</c>.
/// </summary>
internal sealed record AttemptResult
{
    /// <summary>Where the attempt ended: one of <see cref="DeliveryStates"/>.</summary>
    public required string State { get; init; }

    /// <summary>One of <see cref="DeliveryResults"/>.</summary>
    public required string Result { get; init; }

    /// <summary>The SMTP reply code (the remote's, or the one a forced error / suppression reports); 0 when none.</summary>
    public int Code { get; init; }

    /// <summary>Enhanced status code <c>x.y.z</c> (RFC 3463) when the reply had one.</summary>
    public string? Status { get; init; }

    /// <summary>The reply text (lines joined with a space) or what went wrong locally.</summary>
    public string Description { get; init; } = "";

    public DateTimeOffset Time { get; init; }

    /// <summary>The remote MTA's name from its greeting; null before the greeting.</summary>
    public string? Mta { get; init; }

    /// <summary>Local source IP of the connection.</summary>
    public string? From { get; init; }

    /// <summary>Remote IP the attempt went to.</summary>
    public string? To { get; init; }

    /// <summary>The TLS session, when STARTTLS succeeded.</summary>
    public TlsSummary? Cipher { get; init; }

    /// <summary>Messages sent over this connection so far, this one included.</summary>
    public int Messages { get; init; }

    /// <summary>Bytes written on the connection so far, and bytes of this message's DATA.</summary>
    public long SentConnection { get; init; }
    public long SentData { get; init; }

    /// <summary>The remote advertised DSN (reported on success only).</summary>
    public bool Dsn { get; init; }

    /// <summary>
    /// Final failure that must not be retried; null lets the result policy decide from <see cref="Code"/>
    /// (5xx = permanent, 4xx and no code = temporary).
    /// </summary>
    public bool? Fatal { get; init; }

    public bool IsSuccess => State == DeliveryStates.Message && Result == DeliveryResults.Accepted;

    /// <summary>MailerQ's "strange" counter: timeouts and lost connections.</summary>
    public bool IsStrange => Result is DeliveryResults.Timeout or DeliveryResults.Lost;

    /// <summary>Failed before a connection was made (MailerQ's "not tried").</summary>
    public bool NotTried => State is DeliveryStates.Process or DeliveryStates.Suppression or DeliveryStates.Storage
        or DeliveryStates.Dns or DeliveryStates.Bind;

    /// <summary>Permanent: explicitly fatal, or a 5xx reply.</summary>
    public bool IsPermanent => Fatal ?? (Code >= 500 && Code < 600);
}

/// <summary>MailerQ's <c>cipher</c> object: the negotiated TLS session of a delivery.</summary>
internal sealed record TlsSummary(string Name, int Bits, string Version, bool Verified);
