using System.Net;
using System.Text;
using MailerQ.Www.Smtp.Queue;

namespace MailerQ.Www.Smtp.Tests.Queue;

/// <summary>
/// The spool journal's crash story: a message acknowledged through the journal whose queue file the crash took
/// (written, never fsync'd) comes back at the next start; one that was removed since does not; a torn tail is ignored.
/// </summary>
public sealed class SpoolJournalTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("mailerq-journal-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static InboundMessage Message(string id) => new()
    {
        Id = id,
        Envelope = "a@example.org",
        Recipients = [new InboundRecipient("b@example.net", null, null)],
        Received = DateTimeOffset.UtcNow,
        HostName = "mx.test",
        Remote = new IPEndPoint(IPAddress.Loopback, 1234),
    };

    private static async Task<string> CommitAsync(EmbeddedQueue queue, string mime)
    {
        using var draft = queue.BeginMessage();
        draft.Write(Encoding.ASCII.GetBytes(mime));
        await queue.CommitAsync(draft, Message(draft.Id), CancellationToken.None);
        return draft.Id;
    }

    [Fact]
    public async Task A_small_message_is_in_its_queue_and_in_the_journal_when_commit_returns()
    {
        var queue = EmbeddedQueue.Open(_data);
        string id = await CommitAsync(queue, "Subject: j\r\n\r\nbody\r\n");
        Assert.NotNull(queue.Read("outbox", id));
        Assert.Empty(Directory.GetFiles(queue.TempDirectory));
        Assert.NotEmpty(Segments(queue));
        Assert.Equal(1, queue.UnretiredMessages);
    }

    private static string[] Segments(EmbeddedQueue queue) => Directory.GetFiles(queue.JournalDirectory, "*" + SpoolJournal.Extension);

    private static string[] Spares(EmbeddedQueue queue) => Directory.GetFiles(queue.JournalDirectory, "*" + SpoolJournal.SpareExtension);

    private static async Task WaitRetiredAsync(EmbeddedQueue queue)
    {
        for (int i = 0; i < 100 && (queue.UnretiredMessages > 0 || Segments(queue).Length > 0); i++)
            await Task.Delay(50);
        Assert.Equal(0, queue.UnretiredMessages);
        Assert.Empty(Segments(queue));
    }

    [Fact]
    public async Task Journal_segments_are_retired_once_idle_and_kept_as_a_spare()
    {
        var queue = EmbeddedQueue.Open(_data);
        await CommitAsync(queue, "Subject: r\r\n\r\nbody\r\n");
        await WaitRetiredAsync(queue);
        Assert.Single(Spares(queue));
    }

    [Fact]
    public async Task Recovery_brings_back_a_lost_queue_file_but_not_a_removed_one_and_ignores_a_torn_tail()
    {
        var queue = EmbeddedQueue.Open(_data);
        string lost = await CommitAsync(queue, "Subject: lost\r\n\r\nkeep me\r\n");
        string removed = await CommitAsync(queue, "Subject: gone\r\n\r\ndelivered\r\n");
        Assert.True(await queue.RemoveAsync("outbox", removed));
        // Copy the segments before the writer retires them: what a power cut would leave on disk.
        string saved = Directory.CreateDirectory(Path.Combine(_data, "saved")).FullName;
        foreach (var segment in Segments(queue))
            File.Copy(segment, Path.Combine(saved, Path.GetFileName(segment)));
        Assert.NotEmpty(Directory.GetFiles(saved));
        await WaitRetiredAsync(queue);

        // The crash took the un-fsync'd queue file; the journal and a half-written record survived.
        File.Delete(queue.PathOf("outbox", lost));
        foreach (var segment in Directory.GetFiles(saved))
            File.Copy(segment, Path.Combine(queue.JournalDirectory, Path.GetFileName(segment)));
        string last = Segments(queue).Max()!;
        File.AppendAllText(last, "MQJ2\u0001torn");

        var reopened = EmbeddedQueue.Open(_data);

        Assert.Equal([lost], reopened.List("outbox").ToList());
        Assert.Equal("Subject: lost\r\n\r\nkeep me\r\n", Encoding.ASCII.GetString(reopened.Read("outbox", lost)!.Value.Mime));
        Assert.Empty(Segments(reopened));
    }

    [Fact]
    public async Task Recovery_rewrites_queue_files_the_crash_left_empty_or_zero_filled_and_keeps_a_newer_complete_one()
    {
        var queue = EmbeddedQueue.Open(_data);
        string empty = await CommitAsync(queue, "Subject: empty\r\n\r\nkeep me\r\n");
        string zeros = await CommitAsync(queue, "Subject: zeros\r\n\r\nkeep me too\r\n");
        string replaced = await CommitAsync(queue, "Subject: first attempt\r\n\r\nold\r\n");
        await queue.PublishAsync("outbox", replaced, "{\"retry\":1}"u8.ToArray(), "Subject: retry\r\n\r\nnew\r\n"u8.ToArray(), CancellationToken.None);
        string saved = Directory.CreateDirectory(Path.Combine(_data, "saved")).FullName;
        foreach (var segment in Segments(queue))
            File.Copy(segment, Path.Combine(saved, Path.GetFileName(segment)));
        await WaitRetiredAsync(queue);

        // What a power cut can leave of files that were renamed into place but never flushed.
        File.WriteAllBytes(queue.PathOf("outbox", empty), []);
        File.WriteAllBytes(queue.PathOf("outbox", zeros), new byte[new FileInfo(queue.PathOf("outbox", zeros)).Length]);
        foreach (var segment in Directory.GetFiles(saved))
            File.Copy(segment, Path.Combine(queue.JournalDirectory, Path.GetFileName(segment)));

        var reopened = EmbeddedQueue.Open(_data);

        Assert.Equal("Subject: empty\r\n\r\nkeep me\r\n", Encoding.ASCII.GetString(reopened.Read("outbox", empty)!.Value.Mime));
        Assert.Equal("Subject: zeros\r\n\r\nkeep me too\r\n", Encoding.ASCII.GetString(reopened.Read("outbox", zeros)!.Value.Mime));
        Assert.Equal("Subject: retry\r\n\r\nnew\r\n", Encoding.ASCII.GetString(QueueFile.ReadRaw(reopened.PathOf("outbox", replaced))!.Value.Mime));
        Assert.Empty(Directory.GetFiles(reopened.TempDirectory));
    }

    [Fact]
    public async Task A_recycled_segment_replays_its_current_life_only_never_mail_from_an_earlier_one()
    {
        var queue = EmbeddedQueue.Open(_data);
        // Life 1: two messages of one size, then retired (their files are durable) and kept as a spare.
        string first = await CommitAsync(queue, "Subject: one\r\n\r\nsame size\r\n");
        string delivered = await CommitAsync(queue, "Subject: two\r\n\r\nsame size\r\n");
        await WaitRetiredAsync(queue);
        string spare = Assert.Single(Spares(queue));
        long lifeOne = new FileInfo(spare).Length;
        // Both are delivered after their segment was retired: no remove record anywhere.
        Assert.True(await queue.RemoveAsync("outbox", first));
        Assert.True(await queue.RemoveAsync("outbox", delivered));

        // Life 2 overwrites the spare with one message of the same size: the second record of life 1 is intact after it.
        string current = await CommitAsync(queue, "Subject: new\r\n\r\nsame size\r\n");
        string segment = Assert.Single(Segments(queue));
        Assert.Empty(Spares(queue));
        Assert.Equal(lifeOne, new FileInfo(segment).Length);
        string saved = Path.Combine(_data, "saved.jnl");
        File.Copy(segment, saved);
        // The test means something only if life 1's second record sits whole right after life 2's record.
        byte[] bytes = File.ReadAllBytes(saved);
        long sequence = long.Parse(Path.GetFileNameWithoutExtension(segment), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(JournalRecord.TryReadSegmentHeader(bytes, sequence, out int start, out ulong token));
        Assert.True(JournalRecord.TryRead(bytes.AsSpan(start), token, out _, out _, out string id, out _, out int length));
        Assert.Equal(current, id);
        var stale = bytes.AsSpan(start + length);
        Assert.False(JournalRecord.TryRead(stale, token, out _, out _, out _, out _, out _));
        ulong earlierToken = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(stale[12..]);
        Assert.True(JournalRecord.TryRead(stale, earlierToken, out _, out _, out string staleId, out _, out _));
        Assert.Equal(delivered, staleId);
        await WaitRetiredAsync(queue);

        // A crash took the current message's file; its segment survived with the earlier life's tail.
        File.Delete(queue.PathOf("outbox", current));
        File.Copy(saved, Path.Combine(queue.JournalDirectory, Path.GetFileName(segment)));
        var reopened = EmbeddedQueue.Open(_data);

        Assert.Equal([current], reopened.List("outbox").ToList());
        Assert.Equal("Subject: new\r\n\r\nsame size\r\n", Encoding.ASCII.GetString(reopened.Read("outbox", current)!.Value.Mime));
    }

    [Fact]
    public async Task A_spare_renamed_into_place_but_never_written_is_read_as_empty()
    {
        var queue = EmbeddedQueue.Open(_data);
        string first = await CommitAsync(queue, "Subject: old\r\n\r\ndelivered since\r\n");
        await WaitRetiredAsync(queue);
        Assert.True(await queue.RemoveAsync("outbox", first));
        string spare = Assert.Single(Spares(queue));

        // What a crash right after the writer took the spare leaves: the next sequence's name, the earlier life's bytes.
        File.Move(spare, Path.Combine(queue.JournalDirectory, "9999999999999999" + SpoolJournal.Extension));
        var reopened = EmbeddedQueue.Open(_data);

        Assert.Empty(reopened.List("outbox"));
        Assert.Empty(Segments(reopened));
    }

    [Fact]
    public async Task Sequence_numbers_continue_after_the_spares_so_a_new_segment_never_shares_one_with_stale_records()
    {
        var queue = EmbeddedQueue.Open(_data);
        await CommitAsync(queue, "Subject: a\r\n\r\nbody\r\n");
        await WaitRetiredAsync(queue);
        long spareSequence = long.Parse(Path.GetFileNameWithoutExtension(Assert.Single(Spares(queue))), System.Globalization.CultureInfo.InvariantCulture);

        var reopened = EmbeddedQueue.Open(_data);
        await CommitAsync(reopened, "Subject: b\r\n\r\nbody\r\n");

        long sequence = long.Parse(Path.GetFileNameWithoutExtension(Assert.Single(Segments(reopened))), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(sequence > spareSequence, $"segment {sequence} after spare {spareSequence}");
    }

    [Fact]
    public async Task A_spare_that_disappeared_is_replaced_by_a_new_segment_and_the_message_still_commits()
    {
        var queue = EmbeddedQueue.Open(_data);
        await CommitAsync(queue, "Subject: a\r\n\r\nbody\r\n");
        await WaitRetiredAsync(queue);
        File.Delete(Assert.Single(Spares(queue)));

        string id = await CommitAsync(queue, "Subject: b\r\n\r\nbody\r\n");

        Assert.Equal("Subject: b\r\n\r\nbody\r\n", Encoding.ASCII.GetString(queue.Read("outbox", id)!.Value.Mime));
        Assert.Single(Segments(queue));
    }

    [Fact]
    public async Task A_segment_of_the_first_format_left_by_an_older_version_is_still_replayed()
    {
        var queue = EmbeddedQueue.Open(_data);
        string id = await CommitAsync(queue, "Subject: old format\r\n\r\nkeep me\r\n");
        await WaitRetiredAsync(queue);
        byte[] body = File.ReadAllBytes(queue.PathOf("outbox", id));
        File.Delete(queue.PathOf("outbox", id));

        // "MQJ1", put, name lengths, 0, body length, names, body, CRC-32 of all before it: no header, no token.
        var record = new List<byte>();
        record.AddRange("MQJ1"u8.ToArray());
        record.AddRange([JournalRecord.Put, (byte)"outbox".Length, (byte)id.Length, 0]);
        record.AddRange(BitConverter.GetBytes(body.Length));
        record.AddRange(Encoding.ASCII.GetBytes("outbox" + id));
        record.AddRange(body);
        record.AddRange(BitConverter.GetBytes(System.IO.Hashing.Crc32.HashToUInt32(record.ToArray())));
        File.WriteAllBytes(Path.Combine(queue.JournalDirectory, "0000000000000077" + SpoolJournal.Extension), [.. record]);

        var reopened = EmbeddedQueue.Open(_data);

        Assert.Equal("Subject: old format\r\n\r\nkeep me\r\n", Encoding.ASCII.GetString(reopened.Read("outbox", id)!.Value.Mime));
        Assert.Empty(Segments(reopened));
    }

    [Fact]
    public async Task A_message_larger_than_the_memory_limit_takes_the_file_path()
    {
        var queue = EmbeddedQueue.Open(_data);
        string mime = "Subject: big\r\n\r\n" + new string('x', EmbeddedDraft.MemoryLimit + 10) + "\r\n";
        string id = await CommitAsync(queue, mime);
        Assert.Equal(mime, Encoding.ASCII.GetString(queue.Read("outbox", id)!.Value.Mime));
        Assert.Equal(0, queue.UnretiredMessages);
    }
}
