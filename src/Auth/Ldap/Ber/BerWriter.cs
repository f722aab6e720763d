namespace MailerQ.Www.Auth.Ldap.Ber;

/// <summary>
/// Writes BER elements (X.690 §8.1) into a span the caller sized with <see cref="TlvSize"/>: definite,
/// minimal lengths (the DER subset RFC 4511 §5.1 recommends), single-byte tags.
/// </summary>
internal ref struct BerWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public BerWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Written => _position;

    /// <summary>Size of a whole element with <paramref name="contentLength"/> content bytes.</summary>
    public static int TlvSize(int contentLength) => 1 + LengthSize(contentLength) + contentLength;

    /// <summary>Content bytes of the minimal two's-complement encoding of <paramref name="value"/>.</summary>
    public static int IntegerSize(int value)
    {
        int size = 1;
        // Each extra byte is needed while the value does not fit a signed byte count of 8*size bits.
        while (size < 4 && (value < -(1 << (8 * size - 1)) || value >= 1 << (8 * size - 1)))
            size++;
        return size;
    }

    private static int LengthSize(int length) => length switch
    {
        < 0x80 => 1,
        <= 0xFF => 2,
        <= 0xFFFF => 3,
        <= 0xFF_FFFF => 4,
        _ => 5,
    };

    /// <summary>Writes a tag and a length; the content follows.</summary>
    public void WriteHeader(byte tag, int contentLength)
    {
        _buffer[_position++] = tag;
        int size = LengthSize(contentLength);
        if (size == 1)
        {
            _buffer[_position++] = (byte)contentLength;
            return;
        }
        _buffer[_position++] = (byte)(0x80 | (size - 1));
        for (int shift = 8 * (size - 2); shift >= 0; shift -= 8)
            _buffer[_position++] = (byte)(contentLength >> shift);
    }

    /// <summary>Writes an INTEGER or ENUMERATED (X.690 §8.3) with the given tag.</summary>
    public void WriteInteger(byte tag, int value)
    {
        int size = IntegerSize(value);
        WriteHeader(tag, size);
        for (int shift = 8 * (size - 1); shift >= 0; shift -= 8)
            _buffer[_position++] = (byte)(value >> shift);
    }

    /// <summary>Writes a primitive element such as an OCTET STRING.</summary>
    public void WriteOctets(byte tag, ReadOnlySpan<byte> value)
    {
        WriteHeader(tag, value.Length);
        value.CopyTo(_buffer[_position..]);
        _position += value.Length;
    }
}
