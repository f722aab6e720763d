using MailerQ.Www.Core.IO;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>
/// Group commit for one directory's fsync: everyone who changed the directory (unlinked a file) and then calls
/// <see cref="SyncAsync"/> is released by the first fsync that <em>starts</em> after their call, and one fsync
/// serves all callers that arrived while the previous one ran. Same guarantee as an fsync per caller, at one
/// fsync per batch, and the blocking call runs on this group's own thread instead of a thread-pool thread.
/// </summary>
/// <remarks>
/// Why: the outbox removes every delivered message with unlink + directory fsync. Done inline, the fsyncs
/// (milliseconds each on a busy disk) held thread-pool threads, and with two cores the pool had none left for
/// the SMTP connections: 270 deliveries/s over 10 connections, most threads blocked in fsync (docs/perf.md).
/// The worker thread stays while there is work and exits after <see cref="IdleExit"/> without any (a queue that is
/// rarely emptied costs no thread); the next caller starts a new one.
/// </remarks>
internal sealed class DirectorySyncGroup(string directory)
{
    private static readonly TimeSpan IdleExit = TimeSpan.FromSeconds(5);

    // A Monitor (not System.Threading.Lock) because the idle worker waits on it.
    private readonly object _gate = new();
    private List<TaskCompletionSource> _pending = [];
    private bool _running;

    public string Directory { get; } = directory;

    /// <summary>Completes once a directory fsync that began after this call has finished; faults if it failed.</summary>
    public Task SyncAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            _pending.Add(done);
            start = !_running;
            _running = true;
            Monitor.Pulse(_gate);
        }
        if (start)
            new Thread(Run) { IsBackground = true, Name = "fsync group" }.Start();
        return done.Task;
    }

    private void Run()
    {
        var spare = new List<TaskCompletionSource>();
        while (true)
        {
            List<TaskCompletionSource> batch;
            lock (_gate)
            {
                if (_pending.Count == 0 && !Monitor.Wait(_gate, IdleExit) && _pending.Count == 0)
                {
                    _running = false;
                    return;
                }
                if (_pending.Count == 0)
                    continue;
                // Everyone in this batch made their change before this point, so the fsync below covers them.
                batch = _pending;
                _pending = spare;
            }
            Exception? failure = null;
            try
            {
                DurableFiles.SyncDirectory(Directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failure = e;
            }
            foreach (var waiter in batch)
            {
                if (failure is null)
                    waiter.SetResult();
                else
                    waiter.SetException(failure);
            }
            batch.Clear();
            spare = batch;
        }
    }
}
