using MailerQ.Www.Smtp.Delivery.Routing;
using Microsoft.Extensions.Time.Testing;

namespace MailerQ.Www.Delivery.Tests.Perf;

/// <summary>The route's "a connection came free" signal wakes one waiter per release, oldest first, and loses no release.</summary>
public sealed class SlotSignalTests
{
    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new();

    private static async Task Until(Func<bool> condition)
    {
        while (!condition())
            await Task.Delay(1, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task One_release_wakes_exactly_one_waiter_the_one_that_waited_longest()
    {
        var signal = new SlotSignal();
        var first = signal.WaitAsync(Slice, _time, default);
        await Until(() => signal.Waiting == 1);
        var second = signal.WaitAsync(Slice, _time, default);
        var third = signal.WaitAsync(Slice, _time, default);
        await Until(() => signal.Waiting == 3);

        signal.Fire();
        await first;

        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);
        Assert.Equal(2, signal.Waiting);

        signal.Fire();
        await second;
        Assert.False(third.IsCompleted);
    }

    [Fact]
    public async Task A_release_while_nobody_waits_lets_the_next_waiter_return_at_once_but_only_one()
    {
        var signal = new SlotSignal();
        signal.Fire();
        signal.Fire();

        await signal.WaitAsync(Slice, _time, TestContext.Current.CancellationToken);
        var next = signal.WaitAsync(Slice, _time, default);

        await Until(() => signal.Waiting == 1);
        Assert.False(next.IsCompleted);
        signal.Fire();
        await next;
    }

    [Fact]
    public async Task A_waiter_whose_time_is_up_leaves_the_line_so_the_next_release_goes_to_someone_waiting()
    {
        var signal = new SlotSignal();
        var early = signal.WaitAsync(Slice, _time, default);
        await Until(() => signal.Waiting == 1);
        _time.Advance(TimeSpan.FromMilliseconds(600));
        var late = signal.WaitAsync(Slice, _time, default);
        await Until(() => signal.Waiting == 2);

        _time.Advance(TimeSpan.FromMilliseconds(400));
        await early;
        await Until(() => signal.Waiting == 1);

        signal.Fire();
        await late;
        Assert.Equal(0, signal.Waiting);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_line_and_the_next_release_goes_to_the_one_behind_it()
    {
        var signal = new SlotSignal();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signal.WaitAsync(Slice, _time, cancel.Token));
        Assert.Equal(0, signal.Waiting);

        var waiting = signal.WaitAsync(Slice, _time, default);
        await Until(() => signal.Waiting == 1);
        signal.Fire();
        await waiting;
    }

    [Fact]
    public async Task Many_waiters_and_as_many_releases_wake_each_waiter_once()
    {
        var signal = new SlotSignal();
        var waiters = Enumerable.Range(0, 1000).Select(_ => signal.WaitAsync(TimeSpan.FromHours(1), _time, default)).ToArray();
        await Until(() => signal.Waiting == 1000);

        for (int i = 0; i < 999; i++)
            signal.Fire();
        await Until(() => waiters.Count(w => w.IsCompleted) == 999);

        Assert.Equal(1, signal.Waiting);
        signal.Fire();
        await Task.WhenAll(waiters);
    }
}
