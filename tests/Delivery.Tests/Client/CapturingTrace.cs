using System.Buffers;
using MailerQ.Www.Smtp;

namespace MailerQ.Www.Delivery.Tests.Client;

/// <summary>Keeps every traced byte per session and direction, plus the order of the chunks (one per socket read/write).</summary>
internal sealed class CapturingTrace : ISmtpTrace
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(long, bool), MemoryStream> _bytes = [];
    private readonly List<(long Session, bool FromClient, byte[] Bytes)> _chunks = [];

    public bool IsEnabled => true;

    public void OnBytes(long sessionId, bool fromClient, ReadOnlySequence<byte> bytes)
    {
        var copy = bytes.ToArray();
        lock (_gate)
        {
            if (!_bytes.TryGetValue((sessionId, fromClient), out var stream))
                _bytes[(sessionId, fromClient)] = stream = new MemoryStream();
            stream.Write(copy);
            _chunks.Add((sessionId, fromClient, copy));
        }
    }

    public byte[] Bytes(long sessionId, bool fromClient)
    {
        lock (_gate)
            return _bytes.TryGetValue((sessionId, fromClient), out var stream) ? stream.ToArray() : [];
    }

    public List<(long Session, bool FromClient, byte[] Bytes)> Chunks()
    {
        lock (_gate)
            return [.. _chunks];
    }

    public long[] Sessions()
    {
        lock (_gate)
            return [.. _bytes.Keys.Select(k => k.Item1).Distinct().Order()];
    }
}
