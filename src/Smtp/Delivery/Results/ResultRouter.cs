using System.Text.Json.Nodes;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Smtp.Delivery.Messages;

namespace MailerQ.Www.Smtp.Delivery.Results;

/// <summary>
/// Decides what becomes of a message after an attempt and publishes accordingly (5.13/json-results.md,
/// rabbitmq-config.md "Result queues"): success → results + success; final failure → results + failure (and a
/// bounce when asked); temporary failure → back to the outbox with <c>nextattempt</c>, and to retry. A
/// temporary failure past the message's attempts or delivery time becomes final with a <c>process/timeout</c>
/// result appended, as MailerQ does.
/// </summary>
/// <remarks>
/// Every publish is awaited until durable; a failing publish throws, so the engine leaves the consumed message
/// unacknowledged and it is delivered again (at-least-once, CONTRACT.md "Mail").
/// </remarks>
internal sealed class ResultRouter
{
    /// <summary>RFC 3463 X.4.7 "delivery time expired": the bounce's status when a message is given up for time or attempts.</summary>
    private const string ExpiredStatus = "5.4.7";

    private readonly RetryPolicy _policy;
    private readonly ResultQueues _queues;
    private readonly DsnBuilder _dsn;
    private readonly IQueuePublisher _publisher;
    private readonly SendLog? _sendLog;
    private readonly TimeProvider _time;

    public ResultRouter(RetryPolicy policy, ResultQueues queues, DsnBuilder dsn, IQueuePublisher publisher, SendLog? sendLog, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(dsn);
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(time);
        _policy = policy;
        _queues = queues;
        _dsn = dsn;
        _publisher = publisher;
        _sendLog = sendLog;
        _time = time;
    }

    public RetryPolicy Policy => _policy;

    /// <summary>
    /// Appends <paramref name="result"/> to the message's <c>results</c> (do not also call <see cref="ResultJson.Append"/>
    /// for it), then routes the message. For a message found expired before an attempt, pass
    /// <see cref="RetryPolicy.TimeoutResult"/>: it fails with a bounce quoting the last real attempt.
    /// </summary>
    public async ValueTask<ResultDisposition> CompleteAsync(OutboxMessage message, AttemptResult result, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(result);
        ResultJson.Append(message, result);
        var now = _time.GetUtcNow();

        if (result.IsSuccess)
        {
            await PublishFinalAsync(message, ResultQueue.Success, ct).ConfigureAwait(false);
            await BounceAsync(message, DsnAction.Delivered, result, null, null, ct).ConfigureAwait(false);
            _sendLog?.Write(message, result, ResultKind.Delivered);
            return ResultDisposition.Delivered(result);
        }

        if (result is { State: DeliveryStates.Process, Result: DeliveryResults.Timeout })
            return await FailAsync(message, result, LastRealAttempt(message) ?? result, ExpiredStatus, ct).ConfigureAwait(false);

        if (result.IsPermanent)
            return await FailAsync(message, result, result, null, ct).ConfigureAwait(false);

        if (_policy.NextAttempt(message, now) is not { } next)
        {
            string why = _policy.IsExpired(message, now)
                ? "message expired: maximum delivery time reached"
                : "message expired: maximum number of attempts reached";
            var timeout = RetryPolicy.TimeoutResult(now, why);
            ResultJson.Append(message, timeout);
            return await FailAsync(message, timeout, result, ExpiredStatus, ct).ConfigureAwait(false);
        }

        message.Json["nextattempt"] = new JsonObject { ["time"] = OutboxJson.FormatTime(next) };
        // The outbox copy first: once it is durable the consumed one may be acknowledged.
        await _publisher.PublishAsync(_queues.Outbox, message.Id, ResultJson.WriteOutbox(message), message.Mime, ct).ConfigureAwait(false);
        if (_queues.Resolve(message, ResultQueue.Retry) is { } retry)
            await _publisher.PublishAsync(retry, message.Id, ResultJson.Write(message, includeMime: false), MimeFor(message), ct).ConfigureAwait(false);
        // DELAY is reported once, on the first temporary failure (RFC 3461 section 4.1 leaves the frequency to the MTA).
        if (message.Attempts == 1)
            await BounceAsync(message, DsnAction.Delayed, result, null, _policy.Deadline(message, now), ct).ConfigureAwait(false);
        _sendLog?.Write(message, result, ResultKind.Retried);
        return ResultDisposition.Retried(result, next);
    }

    private async ValueTask<ResultDisposition> FailAsync(OutboxMessage message, AttemptResult final, AttemptResult reported, string? status, CancellationToken ct)
    {
        await PublishFinalAsync(message, ResultQueue.Failure, ct).ConfigureAwait(false);
        await BounceAsync(message, DsnAction.Failed, reported, status, null, ct).ConfigureAwait(false);
        _sendLog?.Write(message, final, ResultKind.Failed);
        return ResultDisposition.Failed(final);
    }

    /// <summary>The result JSON to <c>results</c> and to <paramref name="which"/> (success or failure), where configured.</summary>
    private async ValueTask PublishFinalAsync(OutboxMessage message, ResultQueue which, CancellationToken ct)
    {
        string? results = _queues.Resolve(message, ResultQueue.Results);
        string? specific = _queues.Resolve(message, which);
        if (results is null && specific is null)
            return;
        byte[] json = ResultJson.Write(message, includeMime: false);
        var mime = MimeFor(message);
        if (results is not null)
            await _publisher.PublishAsync(results, message.Id, json, mime, ct).ConfigureAwait(false);
        if (specific is not null && specific != results)
            await _publisher.PublishAsync(specific, message.Id, json, mime, ct).ConfigureAwait(false);
    }

    private async ValueTask BounceAsync(OutboxMessage message, DsnAction action, AttemptResult reported, string? status, DateTimeOffset? retryUntil, CancellationToken ct)
    {
        if (_queues.Resolve(message, ResultQueue.Dsn) is not { } queue)
            return;
        if (_dsn.Build(message, action, reported, status, retryUntil) is not { } bounce)
            return;
        await _publisher.PublishAsync(queue, bounce.Id, ResultJson.WriteOutbox(bounce), bounce.Mime, ct).ConfigureAwait(false);
        Log.Info("dsn", "bounce queued", $"id={message.Id} bounce={bounce.Id} action={action.ToString().ToLowerInvariant()} to={Log.Quote(message.Envelope)}");
    }

    /// <summary>The latest attempt before the one just appended, for the bounce to quote; null when there was none.</summary>
    private static AttemptResult? LastRealAttempt(OutboxMessage message)
    {
        var results = message.Results;
        for (int i = results.Count - 2; i >= 0; i--)
        {
            if (results[i] is JsonObject attempt && OutboxJson.String(attempt, "state") != DeliveryStates.Process)
                return ResultJson.ReadAttempt(attempt);
        }
        return null;
    }

    /// <summary>Results carry the MIME only with <c>keepmime</c> (json-results.md).</summary>
    private static ReadOnlyMemory<byte> MimeFor(OutboxMessage message) => message.KeepMime ? message.Mime : ReadOnlyMemory<byte>.Empty;
}
