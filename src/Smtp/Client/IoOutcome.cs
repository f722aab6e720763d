namespace MailerQ.Www.Smtp.Client;

/// <summary>How one read or write on the connection ended; anything but <see cref="Ok"/> leaves it unusable.</summary>
internal enum IoOutcome
{
    Ok,
    /// <summary>The phase's timeout passed (result <c>timeout</c>).</summary>
    Timeout,
    /// <summary>The peer closed or reset the connection (result <c>lost</c>).</summary>
    Lost,
    /// <summary>The peer's reply was not SMTP (result <c>invalid</c>).</summary>
    Invalid,
}
