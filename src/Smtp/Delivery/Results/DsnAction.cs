namespace MailerQ.Www.Smtp.Delivery.Results;

/// <summary>The RFC 3464 section 2.3.3 Action a notification reports for the recipient.</summary>
internal enum DsnAction
{
    Failed,
    Delayed,
    Delivered,
}
