using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace MailerQ.Www.Http.WebSockets;

/// <summary>
/// Sends several buffers with one gathering <c>sendmsg</c> (an iovec per buffer) on a plain socket: the
/// trace frames queued for one subscriber leave in one syscall, each still straight from its shared
/// chunk buffer, so batching costs no copy. Reused for every send of its session, so it allocates
/// nothing per send.
/// </summary>
/// <remarks>
/// Concurrency contract: one send at a time (the session's write loop is its only caller). The caller
/// owns the buffers until the returned task completes. On Linux a stream send completes only once every
/// byte was taken by the kernel; a short count is still checked and reported as an I/O fault.
/// </remarks>
internal sealed class SocketGatherWriter : SocketAsyncEventArgs, IValueTaskSource
{
    private readonly Socket _socket;
    private readonly List<ArraySegment<byte>> _buffers;
    private ManualResetValueTaskSourceCore<bool> _completion;
    private int _expected;

    public SocketGatherWriter(Socket socket, int capacity) : base(unsafeSuppressExecutionContextFlow: true)
    {
        _socket = socket;
        _buffers = new List<ArraySegment<byte>>(capacity);
        _completion.RunContinuationsAsynchronously = true;
    }

    /// <summary>Bytes added and not yet sent.</summary>
    public int Bytes { get; private set; }

    public void Add(ArraySegment<byte> buffer)
    {
        _buffers.Add(buffer);
        Bytes += buffer.Count;
    }

    /// <summary>Sends every added buffer in order; afterwards the list is empty again.</summary>
    public ValueTask SendAsync()
    {
        _expected = Bytes;
        // The list stays untouched until the send completed: the socket may still read it then.
        BufferList = _buffers;
        _completion.Reset();
        if (_socket.SendAsync(this)) return new ValueTask(this, _completion.Version);
        return Finished() is { } fault ? ValueTask.FromException(fault) : ValueTask.CompletedTask;
    }

    protected override void OnCompleted(SocketAsyncEventArgs e)
    {
        if (Finished() is { } fault) _completion.SetException(fault);
        else _completion.SetResult(true);
    }

    private Exception? Finished()
    {
        _buffers.Clear();
        Bytes = 0;
        if (SocketError != SocketError.Success) return new SocketException((int)SocketError);
        return BytesTransferred == _expected ? null : new IOException($"short gathered send: {BytesTransferred} of {_expected} bytes");
    }

    void IValueTaskSource.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
