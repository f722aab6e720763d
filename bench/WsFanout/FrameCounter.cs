using System.Buffers.Binary;

/// <summary>
/// A subscriber's receive loop: 64 KiB reads, every whole server frame in the buffer parsed in place.
/// Binary frames carry a Unix-ms timestamp at payload offset 12 (ours: the trace header, docs/ws-protocol.md;
/// Kestrel: the publisher writes the same 20-byte layout), so latency = arrival − timestamp.
/// </summary>
internal sealed class FrameCounter(RawWebSocket socket)
{
    public LatencyHistogram Latency { get; } = new();
    public long Frames;
    public long Reads;

    public async Task RunAsync(CancellationToken stop)
    {
        var buffer = new byte[64 * 1024];
        int used = socket.LeftoverLength;
        socket.Leftover.AsSpan(0, used).CopyTo(buffer);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                int n = await socket.Socket.ReceiveAsync(buffer.AsMemory(used), stop);
                if (n == 0) return;
                Reads++;
                used += n;
                long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                int consumed = Parse(buffer.AsSpan(0, used), now);
                used -= consumed;
                buffer.AsSpan(consumed, used).CopyTo(buffer);
                if (used == buffer.Length) throw new InvalidDataException("a frame over 64 KiB");
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.Sockets.SocketException or ObjectDisposedException) { }
    }

    private int Parse(ReadOnlySpan<byte> data, long now)
    {
        int at = 0;
        while (data.Length - at >= 2)
        {
            int opcode = data[at] & 0x0F;
            int length = data[at + 1] & 0x7F;
            int header = 2;
            if (length == 126)
            {
                if (data.Length - at < 4) break;
                length = BinaryPrimitives.ReadUInt16BigEndian(data[(at + 2)..]);
                header = 4;
            }
            else if (length == 127)
            {
                if (data.Length - at < 10) break;
                length = checked((int)BinaryPrimitives.ReadUInt64BigEndian(data[(at + 2)..]));
                header = 10;
            }
            if (data.Length - at < header + length) break;
            if (opcode == 2 && length >= 20)
            {
                Latency.Add(now - BinaryPrimitives.ReadInt64BigEndian(data[(at + header + 12)..]));
                Frames++;
            }
            at += header + length;
        }
        return at;
    }
}
