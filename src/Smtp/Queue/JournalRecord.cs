using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>
/// One record of the spool journal (<see cref="SpoolJournal"/>), little endian:
/// <c>"MQJ1"</c>, kind (1 = a message was put into a queue, 2 = it was removed or moved away), queue name length,
/// id length, a zero byte, body length (int32), the queue name and id (ASCII), the body, and a CRC-32 of everything
/// before it. The body of a put is the queue file exactly as <see cref="QueueFile"/> lays it out (MIME, meta,
/// trailer), so the file is written from the record and replayed from it.
/// </summary>
/// <remarks>
/// A crash can leave the journal's tail torn: a record cut short, or its blocks written out of order. Such a record
/// was never acknowledged (the 250 follows the fdatasync of the whole batch), so a reader stops at the first record
/// whose magic, lengths or CRC do not hold.
/// </remarks>
internal static class JournalRecord
{
    public const byte Put = 1;
    public const byte Remove = 2;
    public const int HeaderSize = 12;
    public const int CrcSize = 4;
    private static ReadOnlySpan<byte> Magic => "MQJ1"u8;

    /// <summary>A put record in a buffer rented from <see cref="ArrayPool{T}.Shared"/> (the journal returns it).</summary>
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
        Seal(span);
        return record;
    }

    /// <summary>A remove record in a buffer rented from <see cref="ArrayPool{T}.Shared"/>.</summary>
    public static byte[] RentRemove(string queue, string id, out int length)
    {
        length = HeaderSize + queue.Length + id.Length + CrcSize;
        var record = ArrayPool<byte>.Shared.Rent(length);
        var span = record.AsSpan(0, length);
        WriteHeader(span, Remove, queue, id, 0);
        Seal(span);
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

    private static void Seal(Span<byte> record)
    {
        uint crc = Crc32.HashToUInt32(record[..^CrcSize]);
        BinaryPrimitives.WriteUInt32LittleEndian(record[^CrcSize..], crc);
    }

    /// <summary>
    /// Reads the record at the start of <paramref name="data"/>; false at the end of the journal or at a torn record.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out byte kind, out string queue, out string id, out Range body, out int length)
    {
        kind = 0;
        queue = id = "";
        body = default;
        length = 0;
        if (data.Length < HeaderSize + CrcSize || !data[..4].SequenceEqual(Magic) || data[4] is not (Put or Remove) || data[7] != 0)
            return false;
        int queueLength = data[5];
        int idLength = data[6];
        int bodyLength = BinaryPrimitives.ReadInt32LittleEndian(data[8..]);
        if (queueLength == 0 || idLength == 0 || bodyLength < 0 || (data[4] == Remove && bodyLength != 0))
            return false;
        long total = (long)HeaderSize + queueLength + idLength + bodyLength + CrcSize;
        if (total > data.Length)
            return false;
        var record = data[..(int)total];
        if (Crc32.HashToUInt32(record[..^CrcSize]) != BinaryPrimitives.ReadUInt32LittleEndian(record[^CrcSize..]))
            return false;
        kind = data[4];
        queue = Encoding.ASCII.GetString(record.Slice(HeaderSize, queueLength));
        id = Encoding.ASCII.GetString(record.Slice(HeaderSize + queueLength, idLength));
        int bodyStart = HeaderSize + queueLength + idLength;
        body = bodyStart..(bodyStart + bodyLength);
        length = (int)total;
        return true;
    }
}
