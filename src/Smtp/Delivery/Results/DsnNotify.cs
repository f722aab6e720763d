namespace MailerQ.Www.Smtp.Delivery.Results;

/// <summary>RFC 3461 section 4.1 NOTIFY values: when the sender wants a delivery status notification.</summary>
[Flags]
internal enum DsnNotify
{
    None = 0,
    Success = 1,
    Failure = 2,
    Delay = 4,

    /// <summary>No notification at all; excludes the others (RFC 3461 section 4.1).</summary>
    Never = 8,
}
