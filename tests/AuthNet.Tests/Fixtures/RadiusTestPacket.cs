using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace MailerQ.Www.AuthNet.Tests.Fixtures;

/// <summary>
/// RADIUS packets for the tests, written straight from RFC 2865 §3/§5.2 and RFC 3579 §3.2 without the
/// production code, so the product is checked against an independent reading of the RFCs.
/// </summary>
internal sealed class RadiusTestPacket
{
    public RadiusTestPacket(byte[] bytes)
    {
        Bytes = bytes;
        int position = 20;
        while (position + 2 <= bytes.Length && bytes[position + 1] >= 2)
        {
            Attributes.Add((bytes[position], bytes.AsSpan(position + 2, bytes[position + 1] - 2).ToArray()));
            position += bytes[position + 1];
        }
    }

    public byte[] Bytes { get; }
    public byte Code => Bytes[0];
    public byte Id => Bytes[1];
    public int Length => BinaryPrimitives.ReadUInt16BigEndian(Bytes.AsSpan(2));
    public byte[] Authenticator => Bytes[4..20];
    public List<(byte Type, byte[] Value)> Attributes { get; } = [];

    public byte[]? Attribute(byte type) => Attributes.Find(a => a.Type == type).Value;

    public string? Text(byte type) => Attribute(type) is { } value ? Encoding.UTF8.GetString(value) : null;

    /// <summary>Reverses the §5.2 hiding with <paramref name="secret"/> and strips the NUL padding.</summary>
    public string? Password(string secret)
    {
        byte[]? hidden = Attribute(2);
        if (hidden is null) return null;
        byte[] key = Encoding.UTF8.GetBytes(secret);
        byte[] plain = new byte[hidden.Length];
        byte[] previous = Authenticator;
        for (int offset = 0; offset < hidden.Length; offset += 16)
        {
            byte[] b = MD5.HashData([.. key, .. previous]);
            for (int i = 0; i < 16; i++) plain[offset + i] = (byte)(hidden[offset + i] ^ b[i]);
            previous = hidden[offset..(offset + 16)];
        }
        return Encoding.UTF8.GetString(plain).TrimEnd('\0');
    }

    /// <summary>True when the request's Message-Authenticator is the HMAC-MD5 of the packet (RFC 3579 §3.2).</summary>
    public bool MessageAuthenticatorValid(string secret)
    {
        int offset = FindAttributeValue(Bytes, 80);
        if (offset < 0) return false;
        byte[] copy = (byte[])Bytes.Clone();
        Array.Clear(copy, offset, 16);
        return HMACMD5.HashData(Encoding.UTF8.GetBytes(secret), copy).AsSpan().SequenceEqual(Bytes.AsSpan(offset, 16));
    }

    public IPAddress? NasIpAddress => Attribute(4) is { Length: 4 } v ? new IPAddress(v) : null;

    /// <summary>A reply to <paramref name="request"/>, signed as a server does, with knobs to break it.</summary>
    public static byte[] Reply(
        RadiusTestPacket request,
        byte code,
        string secret,
        bool messageAuthenticator = true,
        bool breakResponseAuthenticator = false,
        bool breakMessageAuthenticator = false,
        byte? id = null,
        params (byte Type, byte[] Value)[] attributes)
    {
        byte[] key = Encoding.UTF8.GetBytes(secret);
        var packet = new List<byte> { code, id ?? request.Id, 0, 0 };
        packet.AddRange(request.Authenticator); // Request Authenticator in place while signing
        foreach (var (type, value) in attributes)
        {
            packet.Add(type);
            packet.Add((byte)(value.Length + 2));
            packet.AddRange(value);
        }
        int maOffset = -1;
        if (messageAuthenticator)
        {
            packet.Add(80);
            packet.Add(18);
            maOffset = packet.Count;
            packet.AddRange(new byte[16]);
        }
        byte[] bytes = [.. packet];
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)bytes.Length);
        if (maOffset >= 0)
        {
            byte[] mac = HMACMD5.HashData(key, bytes);
            if (breakMessageAuthenticator) mac[0] ^= 0xFF;
            mac.CopyTo(bytes, maOffset);
        }
        byte[] responseAuthenticator = MD5.HashData([.. bytes, .. key]);
        if (breakResponseAuthenticator) responseAuthenticator[0] ^= 0xFF;
        responseAuthenticator.CopyTo(bytes, 4);
        return bytes;
    }

    private static int FindAttributeValue(byte[] bytes, byte type)
    {
        for (int position = 20; position + 2 <= bytes.Length && bytes[position + 1] >= 2; position += bytes[position + 1])
        {
            if (bytes[position] == type) return position + 2;
        }
        return -1;
    }
}
