using System.Buffers.Binary;

namespace MailerQ.Www.Http.Tests.WebSockets;

/// <summary>Builds client frames byte by byte, including every broken form a test needs.</summary>
internal static class ClientFrame
{
    public static readonly byte[] DefaultMask = [0x37, 0xFA, 0x21, 0x3D];

    /// <param name="lengthForm">0: shortest; 16 or 64: force the extended length form (non-minimal encodings).</param>
    public static byte[] Build(int opcode, ReadOnlySpan<byte> payload, bool fin = true, bool masked = true, int rsv = 0,
        byte[]? mask = null, int lengthForm = 0, long? declaredLength = null)
    {
        mask ??= DefaultMask;
        long length = declaredLength ?? payload.Length;
        var frame = new List<byte> { (byte)((fin ? 0x80 : 0) | (rsv << 4) | opcode) };
        byte maskBit = masked ? (byte)0x80 : (byte)0;
        if (lengthForm == 0 && length < 126)
        {
            frame.Add((byte)(maskBit | length));
        }
        else if (lengthForm == 16 || (lengthForm == 0 && length <= ushort.MaxValue))
        {
            frame.Add((byte)(maskBit | 126));
            var l = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(l, (ushort)length);
            frame.AddRange(l);
        }
        else
        {
            frame.Add((byte)(maskBit | 127));
            var l = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(l, (ulong)length);
            frame.AddRange(l);
        }
        if (masked) frame.AddRange(mask);
        for (int i = 0; i < payload.Length; i++)
            frame.Add(masked ? (byte)(payload[i] ^ mask[i & 3]) : payload[i]);
        return [.. frame];
    }

    public static byte[] Text(string text, bool fin = true) => Build(0x1, System.Text.Encoding.UTF8.GetBytes(text), fin);

    public static byte[] Close(int code, string reason = "")
    {
        var payload = new byte[2 + System.Text.Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        System.Text.Encoding.UTF8.GetBytes(reason, payload.AsSpan(2));
        return Build(0x8, payload);
    }
}
