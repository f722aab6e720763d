namespace MailerQ.Www.Smtp.Delivery.Results;

/// <summary>
/// The router's verdict, for the engine's counters and log: <see cref="Kind"/>, the final attempt result (the
/// <c>process/timeout</c> one when the message expired) and, when retried, the time of the next attempt.
/// </summary>
internal readonly record struct ResultDisposition(ResultKind Kind, AttemptResult Result, DateTimeOffset? NextAttempt)
{
    public static ResultDisposition Delivered(AttemptResult result) => new(ResultKind.Delivered, result, null);

    public static ResultDisposition Failed(AttemptResult result) => new(ResultKind.Failed, result, null);

    public static ResultDisposition Retried(AttemptResult result, DateTimeOffset next) => new(ResultKind.Retried, result, next);
}
