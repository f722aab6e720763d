using System.Buffers.Binary;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>
/// Layout of one queued message: the raw MIME, then the meta JSON, then a 16-byte trailer
/// (MIME length int64 LE, meta length int32 LE, magic "MQ1\n"). The trailer is written last, so a file
/// without it was never finished; such files only ever exist under <c>tmp/</c>, since a file is renamed
/// into its queue only after fsync.
/// </summary>
internal static class QueueFile
{
    public const int TrailerSize = 16;
    public const string Extension = ".msg";
    private static ReadOnlySpan<byte> Magic => "MQ1\n"u8;

    public static void WriteTrailer(Span<byte> trailer, long mimeLength, int metaLength)
    {
        BinaryPrimitives.WriteInt64LittleEndian(trailer, mimeLength);
        BinaryPrimitives.WriteInt32LittleEndian(trailer[8..], metaLength);
        Magic.CopyTo(trailer[12..]);
    }

    /// <summary>Reads the trailer of an open file; false when the file is not a complete queue file.</summary>
    public static bool TryReadLayout(Microsoft.Win32.SafeHandles.SafeFileHandle handle, out long mimeLength, out int metaLength)
    {
        mimeLength = 0;
        metaLength = 0;
        long length = RandomAccess.GetLength(handle);
        if (length < TrailerSize)
            return false;
        Span<byte> trailer = stackalloc byte[TrailerSize];
        if (RandomAccess.Read(handle, trailer, length - TrailerSize) != TrailerSize || !trailer[12..].SequenceEqual(Magic))
            return false;
        mimeLength = BinaryPrimitives.ReadInt64LittleEndian(trailer);
        metaLength = BinaryPrimitives.ReadInt32LittleEndian(trailer[8..]);
        return mimeLength >= 0 && metaLength > 0 && mimeLength + metaLength + TrailerSize == length;
    }

    /// <summary>Meta of a JSON message (<see cref="EmbeddedQueue.PublishAsync"/>): <c>{"outbox": json}</c>, told apart from inbound meta by its one property.</summary>
    public static byte[] WrapOutboxMeta(ReadOnlySpan<byte> json)
    {
        var meta = new byte[json.Length + 11];
        "{\"outbox\":"u8.CopyTo(meta);
        json.CopyTo(meta.AsSpan(10));
        meta[^1] = (byte)'}';
        return meta;
    }

    /// <summary>The meta record and the MIME of a queue file, without interpreting them; null when damaged or gone.</summary>
    public static (byte[] Meta, byte[] Mime)? ReadRaw(string path, bool withMime = true)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        using (handle)
        {
            if (!TryReadLayout(handle, out long mimeLength, out int metaLength))
                return null;
            var meta = new byte[metaLength];
            RandomAccess.Read(handle, meta, mimeLength);
            byte[] mime = [];
            if (withMime)
            {
                mime = new byte[mimeLength];
                RandomAccess.Read(handle, mime, 0);
            }
            return (meta, mime);
        }
    }

    /// <summary>Reads a whole queue file: meta and MIME. Null when damaged.</summary>
    public static (InboundMessage Message, byte[] Mime)? Read(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (!TryReadLayout(handle, out long mimeLength, out int metaLength))
            return null;
        var mime = new byte[mimeLength];
        RandomAccess.Read(handle, mime, 0);
        var meta = new byte[metaLength];
        RandomAccess.Read(handle, meta, mimeLength);
        return (InboundJson.ReadMeta(meta), mime);
    }
}
