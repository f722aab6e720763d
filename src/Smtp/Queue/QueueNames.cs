namespace MailerQ.Www.Smtp.Queue;

/// <summary>MailerQ's queue names (5.13/rabbitmq-config.md); inbound mail goes to <c>rabbitmq-inbox</c>, which defaults to the outbox.</summary>
internal static class QueueNames
{
    public const string Outbox = "outbox";
    public const string Inbox = "inbox";
    public const string Results = "results";
    public const string Retry = "retry";
    public const string Success = "success";
    public const string Failure = "failure";

    public static readonly string[] All = [Outbox, Inbox, Results, Retry, Success, Failure];
}
