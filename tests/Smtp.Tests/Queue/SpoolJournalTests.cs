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
        Assert.NotEmpty(Directory.GetFiles(queue.JournalDirectory, "*.jnl"));
        Assert.Equal(1, queue.UnretiredMessages);
    }

    [Fact]
    public async Task Journal_segments_are_retired_once_idle()
    {
        var queue = EmbeddedQueue.Open(_data);
        await CommitAsync(queue, "Subject: r\r\n\r\nbody\r\n");
        for (int i = 0; i < 100 && (queue.UnretiredMessages > 0 || Directory.GetFiles(queue.JournalDirectory).Length > 0); i++)
            await Task.Delay(50);
        Assert.Equal(0, queue.UnretiredMessages);
        Assert.Empty(Directory.GetFiles(queue.JournalDirectory));
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
        foreach (var segment in Directory.GetFiles(queue.JournalDirectory))
            File.Copy(segment, Path.Combine(saved, Path.GetFileName(segment)));
        Assert.NotEmpty(Directory.GetFiles(saved));
        for (int i = 0; i < 100 && Directory.GetFiles(queue.JournalDirectory).Length > 0; i++)
            await Task.Delay(50);

        // The crash took the un-fsync'd queue file; the journal and a half-written record survived.
        File.Delete(queue.PathOf("outbox", lost));
        foreach (var segment in Directory.GetFiles(saved))
            File.Copy(segment, Path.Combine(queue.JournalDirectory, Path.GetFileName(segment)));
        string last = Directory.GetFiles(queue.JournalDirectory).Max()!;
        File.AppendAllText(last, "MQJ1\u0001torn");

        var reopened = EmbeddedQueue.Open(_data);

        Assert.Equal([lost], reopened.List("outbox").ToList());
        Assert.Equal("Subject: lost\r\n\r\nkeep me\r\n", Encoding.ASCII.GetString(reopened.Read("outbox", lost)!.Value.Mime));
        Assert.Empty(Directory.GetFiles(reopened.JournalDirectory));
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
        foreach (var segment in Directory.GetFiles(queue.JournalDirectory))
            File.Copy(segment, Path.Combine(saved, Path.GetFileName(segment)));
        for (int i = 0; i < 100 && Directory.GetFiles(queue.JournalDirectory).Length > 0; i++)
            await Task.Delay(50);

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
    public async Task A_message_larger_than_the_memory_limit_takes_the_file_path()
    {
        var queue = EmbeddedQueue.Open(_data);
        string mime = "Subject: big\r\n\r\n" + new string('x', EmbeddedDraft.MemoryLimit + 10) + "\r\n";
        string id = await CommitAsync(queue, mime);
        Assert.Equal(mime, Encoding.ASCII.GetString(queue.Read("outbox", id)!.Value.Mime));
        Assert.Equal(0, queue.UnretiredMessages);
    }
}
