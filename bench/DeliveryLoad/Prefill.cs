using System.Diagnostics;
using System.Globalization;
using System.Text;
using MailerQ.Www.Smtp.Queue;

namespace MailerQ.Www.Bench.DeliveryLoad;

/// <summary>
/// Writes N outbox messages into a data directory's embedded queue in the queue's own file format
/// (<see cref="EmbeddedDraft"/> + <see cref="QueueFile.WrapOutboxMeta"/>, as <see cref="EmbeddedQueue.PublishAsync"/>
/// does), but without an fsync per file: 100,000 fsyncs would take minutes and the data is disposable. One
/// sync(1) at the end, so the measured run does not pay for write-back of the pre-fill.
/// </summary>
internal static class Prefill
{
    public const string Domain = "bench.example";

    public static TimeSpan Run(string dataDirectory, int count, int size)
    {
        var clock = Stopwatch.StartNew();
        var queue = EmbeddedQueue.Open(dataDirectory);
        byte[] body = Body(size);
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            string id = MessageIds.New();
            byte[] mime = Mime(id, body);
            byte[] json = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{{\"envelope\":\"sender@{Domain}\",\"recipient\":\"rcpt{i}@{Domain}\",\"tags\":[\"bench\"]}}"));
            using var draft = new EmbeddedDraft(queue.TempDirectory, MessageIds.New());
            draft.Write(mime);
            draft.Commit(QueueFile.WrapOutboxMeta(json), queue.PathOf(QueueNames.Outbox, id), queueDirectory: null);
        });
        using (var sync = Process.Start("sync"))
            sync.WaitForExit();
        return clock.Elapsed;
    }

    private static byte[] Mime(string id, byte[] body)
    {
        string head = string.Create(CultureInfo.InvariantCulture,
            $"From: Bench <sender@{Domain}>\r\nTo: <rcpt@{Domain}>\r\nSubject: delivery load {id}\r\nMessage-ID: <{id}@{Domain}>\r\nDate: Thu, 26 Nov 2026 12:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        var mime = new byte[head.Length + body.Length];
        Encoding.ASCII.GetBytes(head, mime);
        body.CopyTo(mime, head.Length);
        return mime;
    }

    /// <summary>Printable 76-character lines up to about <paramref name="size"/> bytes in all.</summary>
    private static byte[] Body(int size)
    {
        var sb = new StringBuilder(size + 80);
        int line = 0;
        while (sb.Length < Math.Max(size - 200, 78))
            sb.Append(CultureInfo.InvariantCulture, $"line {line++:D4} ").Append('x', 66).Append("\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
