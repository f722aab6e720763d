namespace MailerQ.Www.Smtp.Delivery.Routing;

/// <summary>
/// "A connection slot came free": each <see cref="Fire"/> wakes one waiter, the one that has waited longest.
/// Waits are bounded by the caller's timeout (the engine re-reads the settings after each one).
/// </summary>
/// <remarks>
/// This used to wake every waiter. With the outbox's 1,000 messages in flight waiting for a route's 10
/// connections, each returned connection then woke ~1,000 tasks (a settings lookup, a timer and a few
/// allocations each) of which one could win: CPU per delivery grew with the number of waiting messages
/// (docs/perf.md "Delivery"). One release frees one slot, so one waiter is enough; a woken waiter that does not
/// take the slot lets the others find it on their next timeout, at most one slice later.
/// A release while nobody waits is remembered once, so a waiter that checked just before the release and
/// started waiting just after it returns at once instead of missing it.
/// </remarks>
internal sealed class SlotSignal
{
    private readonly Lock _gate = new();
    private readonly LinkedList<TaskCompletionSource> _waiters = new();
    private bool _unclaimed;

    /// <summary>Waiting tasks (for tests and the console).</summary>
    public int Waiting { get { lock (_gate) return _waiters.Count; } }

    public void Fire()
    {
        TaskCompletionSource? next = null;
        lock (_gate)
        {
            if (_waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                next = first.Value;
            }
            else
                _unclaimed = true;
        }
        next?.TrySetResult();
    }

    /// <summary>Completes when this waiter is woken or after <paramref name="timeout"/>, whichever is first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        LinkedListNode<TaskCompletionSource> node;
        lock (_gate)
        {
            if (_unclaimed)
            {
                _unclaimed = false;
                return;
            }
            node = _waiters.AddLast(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var delay = Task.Delay(timeout, time, cancel.Token);
            await Task.WhenAny(node.Value.Task, delay).ConfigureAwait(false);
            cancel.Cancel();
        }
        bool woken;
        lock (_gate)
        {
            woken = node.List is null;
            if (!woken)
                _waiters.Remove(node);
        }
        if (woken && ct.IsCancellationRequested)
            Fire(); // this waiter leaves without using the slot it was given: pass it on
        ct.ThrowIfCancellationRequested();
    }
}
