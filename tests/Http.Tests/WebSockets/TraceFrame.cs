using System.Buffers.Binary;

namespace MailerQ.Www.Http.Tests.WebSockets;

/// <summary>A binary trace message parsed as docs/ws-protocol.md describes it.</summary>
internal sealed record TraceFrame(ulong SessionId, byte Direction, byte Flags, long Timestamp, byte[] Bytes)
{
    public static TraceFrame Parse(ServerFrame frame)
    {
        Assert.Equal(0x2, frame.Opcode);
        Assert.True(frame.Fin);
        var p = frame.Payload;
        Assert.True(p.Length >= 20, "trace header is 20 bytes");
        Assert.Equal(0, p[10]);
        Assert.Equal(0, p[11]);
        return new TraceFrame(
            BinaryPrimitives.ReadUInt64BigEndian(p),
            p[8],
            p[9],
            BinaryPrimitives.ReadInt64BigEndian(p.AsSpan(12)),
            p[20..]);
    }

    public int Sequence => BinaryPrimitives.ReadInt32BigEndian(Bytes);
}
