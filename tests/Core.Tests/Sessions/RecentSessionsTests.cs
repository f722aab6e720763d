using MailerQ.Www.Core.Sessions;

namespace MailerQ.Www.Core.Tests.Sessions;

/// <summary>The store's byte bound, now kept as a running sum: sessions that grow after they were added count, and dropped ones stop counting.</summary>
public sealed class RecentSessionsTests
{
    private static SessionRecord Record(RecentSessions store, long id) =>
        new(id, "in", null, DateTimeOffset.UtcNow, store.MaxLines, store.MaxSessionBytes);

    private static long SumOfKept(RecentSessions store) => store.Latest(int.MaxValue).Sum(r => (long)r.Bytes);

    [Fact]
    public void Transcript_lines_written_after_a_session_was_added_count_toward_the_byte_bound()
    {
        var store = new RecentSessions(maxSessions: 100, maxBytes: 10_000);
        var first = Record(store, 1);
        store.Add(first);
        for (int i = 0; i < 50; i++)
            first.AddLine('c', new string('x', 100)); // 50 × 232 bytes: over the bound by itself
        Assert.Equal(SumOfKept(store), store.Bytes);

        store.Add(Record(store, 2));

        Assert.Null(store.Find(1));
        Assert.NotNull(store.Find(2));
        Assert.Equal(SumOfKept(store), store.Bytes);
    }

    [Fact]
    public void A_dropped_session_that_keeps_writing_no_longer_counts()
    {
        var store = new RecentSessions(maxSessions: 2);
        var oldest = Record(store, 1);
        store.Add(oldest);
        store.Add(Record(store, 2));
        store.Add(Record(store, 3));
        Assert.Null(store.Find(1));

        oldest.AddLine('s', "250 still talking");
        oldest.AddRecipient("late@example.org");

        Assert.Equal(2, store.Count);
        Assert.Equal(SumOfKept(store), store.Bytes);
    }

    [Fact]
    public void Many_sessions_growing_at_once_keep_the_total_exact()
    {
        var store = new RecentSessions(maxSessions: 50, maxBytes: 200_000);
        Parallel.For(0, 400, i =>
        {
            var record = Record(store, i);
            store.Add(record);
            for (int n = 0; n < 20; n++)
                record.AddLine(n % 2 == 0 ? 'c' : 's', "MAIL FROM:<someone@example.org>");
        });
        Assert.True(store.Count <= 50);
        Assert.Equal(SumOfKept(store), store.Bytes);
    }
}
