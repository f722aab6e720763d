using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>
/// The spool journal's on-disk format (<see cref="SpoolJournal"/>), little endian. A segment starts with a header:
/// <c>"MQJS"</c>, version (uint32, 2), the segment's sequence number (int64, also its file name) and a random 64-bit
/// token. Then records: <c>"MQJ2"</c>, kind (1 = a message was put into a queue, 2 = it was removed or moved away),
/// queue name length, id length, a zero byte, body length (int32), the segment's token (8 bytes), the queue name and
/// id (ASCII), the body, and a CRC-32 of everything before it. The body of a put is the queue file exactly as
/// <see cref="QueueFile"/> lays it out (MIME, meta, trailer), so the file is written from the record and replayed
/// from it. Segments of the first format (no header, <c>"MQJ1"</c> records without a token) are still read.
/// </summary>
/// <remarks>
/// <para>A crash can leave the journal's tail torn: a record cut short, or its blocks written out of order. Such a
/// record was never acknowledged (the 250 follows the fdatasync of the whole batch), so a reader stops at the first
/// record whose magic, lengths, token or CRC do not hold.</para>
/// <para>Why the token: segments are recycled (an overwrite needs no inode update, so its fdatasync is one device
/// write fewer), so after the last record of its current life a segment holds records of an earlier one, and
/// message bodies, which a sender chooses. A stale record has an older token, and a record forged inside a body
/// cannot know a token drawn at random when the segment was opened. A header left from an earlier life (a crash
/// before the first flush of the new one) names another sequence than the file, so nothing in it is read.</para>
/// </remarks>
internal static class JournalRecord
{
    public const byte Put = 1;
    public const byte Remove = 2;
    public const int HeaderSize = 20;
    public const int CrcSize = 4;
    public const int SegmentHeaderSize = 24;
    private const int LegacyHeaderSize = 12;
    private const uint Version = 2;
    private static ReadOnlySpan<byte> Magic => "MQJ2"u8;
    private static ReadOnlySpan<byte> LegacyMagic => "MQJ1"u8;
    private static ReadOnlySpan<byte> SegmentMagic => "MQJS"u8;

    /// <summary>
    /// A put record in a buffer rented from <see cref="ArrayPool{T}.Shared"/> (the journal returns it); the writer
    /// <see cref="Stamp"/>s it with its segment's token.
    /// </summary>
    public static byte[] RentPut(string queue, string id, ReadOnlySpan<byte> mime, ReadOnlySpan<byte> meta, out int length, out int bodyOffset)
    {
        int bodyLength = mime.Length + meta.Length + QueueFile.TrailerSize;
        bodyOffset = HeaderSize + queue.Length + id.Length;
        length = bodyOffset + bodyLength + CrcSize;
        var record = ArrayPool<byte>.Shared.Rent(length);
        var span = record.AsSpan(0, length);
        WriteHeader(span, Put, queue, id, bodyLength);
        var body = span.Slice(bodyOffset, bodyLength);
        mime.CopyTo(body);
        meta.CopyTo(body[mime.Length..]);
        QueueFile.WriteTrailer(body[(mime.Length + meta.Length)..], mime.Length, meta.Length);
        return record;
    }

    /// <summary>A remove record in a buffer rented from <see cref="ArrayPool{T}.Shared"/>.</summary>
    public static byte[] RentRemove(string queue, string id, out int length)
    {
        length = HeaderSize + queue.Length + id.Length + CrcSize;
        var record = ArrayPool<byte>.Shared.Rent(length);
        var span = record.AsSpan(0, length);
        WriteHeader(span, Remove, queue, id, 0);
        return record;
    }

    private static void WriteHeader(Span<byte> record, byte kind, string queue, string id, int bodyLength)
    {
        // Names are checked by the queue (EmbeddedQueue.IsSafeName: ASCII, at most 200 characters).
        Magic.CopyTo(record);
        record[4] = kind;
        record[5] = checked((byte)queue.Length);
        record[6] = checked((byte)id.Length);
        record[7] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(record[8..], bodyLength);
        Encoding.ASCII.GetBytes(queue, record[HeaderSize..]);
        Encoding.ASCII.GetBytes(id, record[(HeaderSize + queue.Length)..]);
    }

    /// <summary>Binds a record to the segment it is written into: its token, then the CRC over all of it.</summary>
    public static void Stamp(Span<byte> record, ulong token)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(record[12..], token);
        uint crc = Crc32.HashToUInt32(record[..^CrcSize]);
        BinaryPrimitives.WriteUInt32LittleEndian(record[^CrcSize..], crc);
    }

    /// <summary>The header a segment starts with.</summary>
    public static void WriteSegmentHeader(Span<byte> header, long sequence, ulong token)
    {
        SegmentMagic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], token);
    }

    /// <summary>
    /// Where the records of segment <paramref name="sequence"/> start and the token they must carry (0: a segment of
    /// the first format, records without one); false when the segment holds nothing of its current life.
    /// </summary>
    public static bool TryReadSegmentHeader(ReadOnlySpan<byte> data, long sequence, out int start, out ulong token)
    {
        start = 0;
        token = 0;
        if (data.Length >= LegacyHeaderSize && data[..4].SequenceEqual(LegacyMagic))
            return true;
        if (data.Length < SegmentHeaderSize || !data[..4].SequenceEqual(SegmentMagic)
            || BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) != Version
            || BinaryPrimitives.ReadInt64LittleEndian(data[8..]) != sequence)
            return false;
        token = BinaryPrimitives.ReadUInt64LittleEndian(data[16..]);
        start = SegmentHeaderSize;
        return token != 0;
    }

    /// <summary>
    /// Reads the record at the start of <paramref name="data"/>, which must carry <paramref name="token"/> (0: a
    /// record of the first format); false at the end of the segment's current life or at a torn record.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, ulong token, out byte kind, out string queue, out string id, out Range body, out int length)
    {
        kind = 0;
        queue = id = "";
        body = default;
        length = 0;
        int headerSize = token == 0 ? LegacyHeaderSize : HeaderSize;
        if (data.Length < headerSize + CrcSize || !data[..4].SequenceEqual(token == 0 ? LegacyMagic : Magic)
            || data[4] is not (Put or Remove) || data[7] != 0)
            return false;
        if (token != 0 && BinaryPrimitives.ReadUInt64LittleEndian(data[12..]) != token)
            return false;
        int queueLength = data[5];
        int idLength = data[6];
        int bodyLength = BinaryPrimitives.ReadInt32LittleEndian(data[8..]);
        if (queueLength == 0 || idLength == 0 || bodyLength < 0 || (data[4] == Remove && bodyLength != 0))
            return false;
        long total = (long)headerSize + queueLength + idLength + bodyLength + CrcSize;
        if (total > data.Length)
            return false;
        var record = data[..(int)total];
        if (Crc32.HashToUInt32(record[..^CrcSize]) != BinaryPrimitives.ReadUInt32LittleEndian(record[^CrcSize..]))
            return false;
        kind = data[4];
        queue = Encoding.ASCII.GetString(record.Slice(headerSize, queueLength));
        id = Encoding.ASCII.GetString(record.Slice(headerSize + queueLength, idLength));
        int bodyStart = headerSize + queueLength + idLength;
        body = bodyStart..(bodyStart + bodyLength);
        length = (int)total;
        return true;
    }
}
