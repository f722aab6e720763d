namespace MailerQ.Www.Smtp.Delivery.Routing;

/// <summary>A broadcast signal: every waiter wakes on <see cref="Fire"/>. Waits are bounded by the caller's timeout.</summary>
internal sealed class Pulse
{
    private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Fire() => Interlocked.Exchange(ref _current, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes on the next <see cref="Fire"/> or after <paramref name="timeout"/>, whichever is first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        var fired = Volatile.Read(ref _current).Task;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(timeout, time, cancel.Token);
        await Task.WhenAny(fired, delay).ConfigureAwait(false);
        cancel.Cancel();
        ct.ThrowIfCancellationRequested();
    }
}
