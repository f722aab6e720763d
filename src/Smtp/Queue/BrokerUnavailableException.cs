namespace MailerQ.Www.Smtp.Queue;

/// <summary>The broker cannot take the message now; the session answers 451 and the client retries.</summary>
internal sealed class BrokerUnavailableException(string message, Exception? inner = null) : MailerQ.Www.Core.Delivery.QueueUnavailableException(message, inner);
