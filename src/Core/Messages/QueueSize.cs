namespace MailerQ.Www.Core.Messages;

/// <summary>One queue's name and the messages waiting in it.</summary>
/// <param name="Name">The queue name (MailerQ's: <c>outbox</c>, <c>inbox</c>, <c>results</c>, …).</param>
/// <param name="Count">Messages waiting.</param>
public readonly record struct QueueSize(string Name, long Count);
