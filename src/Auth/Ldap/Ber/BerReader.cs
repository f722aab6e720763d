namespace MailerQ.Www.Auth.Ldap.Ber;

/// <summary>
/// Reads BER elements (X.690 §8.1) from a complete message, with the restrictions of RFC 4511 §5.1:
/// definite lengths only and single-byte tags (LDAP never uses tag numbers above 30). Every element must
/// lie inside the bytes it was given, so a lying length cannot read past the message.
/// </summary>
internal ref struct BerReader
{
    // A 4-byte long-form length covers every size LDAP could send; 0x85 and above would be > 4 GiB.
    private const int MaxLengthOctets = 4;

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public BerReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>True when every byte was read.</summary>
    public readonly bool IsEmpty => _position >= _data.Length;

    /// <summary>The tag of the next element, or 0 at the end.</summary>
    public readonly byte PeekTag() => IsEmpty ? (byte)0 : _data[_position];

    /// <summary>
    /// Reads the tag and length that start <paramref name="data"/>. <see cref="BerStatus.NeedMore"/> when
    /// the header is incomplete; <see cref="BerStatus.TooLarge"/> when the content would exceed
    /// <paramref name="maxContentLength"/>. Does not require the content to be present.
    /// </summary>
    public static BerStatus ReadHeader(ReadOnlySpan<byte> data, int maxContentLength, out byte tag, out int headerLength, out int contentLength)
    {
        tag = 0;
        headerLength = 0;
        contentLength = 0;
        if (data.Length < 2)
            return BerStatus.NeedMore;
        tag = data[0];
        if ((tag & 0x1F) == 0x1F)
            return BerStatus.Malformed; // high-tag-number form (X.690 §8.1.2.4): not used by LDAP
        byte first = data[1];
        if (first < 0x80)
        {
            headerLength = 2;
            contentLength = first;
        }
        else
        {
            int count = first & 0x7F;
            if (count == 0)
                return BerStatus.Malformed; // indefinite length: RFC 4511 §5.1 allows definite only
            if (count > MaxLengthOctets)
                return BerStatus.TooLarge;
            if (data.Length < 2 + count)
                return BerStatus.NeedMore;
            long length = 0;
            for (int i = 0; i < count; i++)
                length = (length << 8) | data[2 + i];
            if (length > maxContentLength)
                return BerStatus.TooLarge;
            headerLength = 2 + count;
            contentLength = (int)length;
        }
        return contentLength > maxContentLength ? BerStatus.TooLarge : BerStatus.Done;
    }

    /// <summary>Reads the next element, which must have tag <paramref name="expectedTag"/>.</summary>
    public bool TryRead(byte expectedTag, out ReadOnlySpan<byte> content) =>
        TryRead(out byte tag, out content) && tag == expectedTag;

    /// <summary>Reads the next element, whatever its tag.</summary>
    public bool TryRead(out byte tag, out ReadOnlySpan<byte> content)
    {
        content = default;
        var rest = _data[_position..];
        var status = ReadHeader(rest, rest.Length, out tag, out int headerLength, out int contentLength);
        if (status != BerStatus.Done || headerLength + contentLength > rest.Length)
            return false;
        content = rest.Slice(headerLength, contentLength);
        _position += headerLength + contentLength;
        return true;
    }

    /// <summary>Reads an INTEGER or ENUMERATED content (X.690 §8.3) that fits 32 bits.</summary>
    public static bool TryDecodeInt32(ReadOnlySpan<byte> content, out int value)
    {
        value = 0;
        if (content.IsEmpty || content.Length > 4)
            return false;
        int result = (sbyte)content[0]; // sign-extends
        for (int i = 1; i < content.Length; i++)
            result = (result << 8) | content[i];
        value = result;
        return true;
    }
}
