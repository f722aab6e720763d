using System.Buffers;
using System.Net;
using System.Text.Json;
using MailerQ.Www.Console.Api;
using MailerQ.Www.Core.Sessions;

namespace MailerQ.Www.Host.Tests.ConsoleApi;

public sealed class SessionJsonTests
{
    private static JsonElement Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }

    [Fact]
    public void Lists_sessions_newest_first_with_the_contract_fields()
    {
        var sessions = new RecentSessions();
        var older = new SessionRecord(1, "in", new IPEndPoint(IPAddress.Loopback, 5000), DateTimeOffset.UnixEpoch, 100, 10_000);
        sessions.Add(older);
        var newer = new SessionRecord(2, "in", new IPEndPoint(IPAddress.Loopback, 5001), DateTimeOffset.UnixEpoch.AddSeconds(1), 100, 10_000);
        newer.StartTransaction("a@example.org");
        newer.AddRecipient("b@example.net");
        newer.Accepted("0123456789abcdef0123456789abcdef", 42);
        newer.State = "accepted";
        sessions.Add(newer);

        var list = Json(w => SessionJson.WriteList(w, sessions, 10));

        Assert.Equal(2, list.GetArrayLength());
        var first = list[0];
        Assert.Equal(2, first.GetProperty("id").GetInt64());
        Assert.Equal("in", first.GetProperty("direction").GetString());
        Assert.Equal("127.0.0.1:5001", first.GetProperty("peer").GetString());
        Assert.Equal("1970-01-01T00:00:01.000Z", first.GetProperty("started").GetString());
        Assert.Equal("accepted", first.GetProperty("state").GetString());
        Assert.Equal("a@example.org", first.GetProperty("from").GetString());
        Assert.Equal("b@example.net", first.GetProperty("rcpts")[0].GetString());
        Assert.Equal(42, first.GetProperty("size").GetInt64());
        Assert.Equal("0123456789abcdef0123456789abcdef", first.GetProperty("messageId").GetString());
        Assert.Equal(JsonValueKind.Null, list[1].GetProperty("messageId").ValueKind);
        Assert.Equal(1, Json(w => SessionJson.WriteList(w, sessions, 1)).GetArrayLength());
    }

    [Fact]
    public void Transcript_is_bounded_per_session_and_written_as_t_dir_line()
    {
        var record = new SessionRecord(1, "in", null, DateTimeOffset.UnixEpoch, maxLines: 3, maxBytes: 10_000);
        record.AddLine('s', "220 hi");
        record.AddLine('c', "EHLO x");
        record.AddLine('s', "250 ok");
        record.AddLine('c', "NOOP");

        var transcript = Json(w => SessionJson.WriteTranscript(w, record));

        Assert.Equal(4, transcript.GetArrayLength());
        Assert.Equal("c", transcript[1].GetProperty("dir").GetString());
        Assert.Equal("EHLO x", transcript[1].GetProperty("line").GetString());
        Assert.True(transcript[1].GetProperty("t").GetInt64() >= 0);
        Assert.Equal("[transcript truncated]", transcript[3].GetProperty("line").GetString());
    }

    [Fact]
    public void The_store_drops_the_oldest_sessions_beyond_its_count()
    {
        var sessions = new RecentSessions(maxSessions: 2);
        for (int i = 1; i <= 3; i++)
            sessions.Add(new SessionRecord(i, "in", null, DateTimeOffset.UnixEpoch, 10, 1000));
        Assert.Equal(2, sessions.Count);
        Assert.Null(sessions.Find(1));
        Assert.NotNull(sessions.Find(3));
    }
}
