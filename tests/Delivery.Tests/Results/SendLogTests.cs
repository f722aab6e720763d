using MailerQ.Www.Smtp.Delivery;
using MailerQ.Www.Smtp.Delivery.Results;
using Microsoft.Extensions.Time.Testing;
using MailerQ.Www.Core.Delivery;

namespace MailerQ.Www.Delivery.Tests.Results;

public sealed class SendLogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mq-sendlog-").FullName;
    private readonly FakeTimeProvider _time = new(TestMessages.Start);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string LogPath => Path.Combine(_directory, "send.log");

    private static SendLogEntry WriteFailure(SendLog log, string extra = "")
    {
        var message = TestMessages.Simple(extra);
        var result = TestMessages.Permanent(TestMessages.Start);
        ResultJson.Append(message, result);
        return log.Write(message, result, ResultKind.Failed);
    }

    [Fact]
    public void Line_names_recipient_final_code_and_enhanced_status_in_the_documented_format()
    {
        using var log = new SendLog(null, _time);
        var entry = WriteFailure(log, ",\"tags\":[\"news\",\"nl\"]");
        Assert.Equal(
            "2026-11-26 13:45:12 0190aaaabbbbccccddddeeeeffff0000 failed bob@example.org rcptto error 550 5.1.1 attempt=1 mta=192.0.2.10 remote=198.51.100.7 tags=news,nl \"No such user here\"",
            entry.Line);
        Assert.Equal("bob@example.org", entry.Recipient);
        Assert.Equal(550, entry.Code);
        Assert.Equal("5.1.1", entry.Status);
    }

    [Fact]
    public void Missing_values_are_dashes_and_descriptions_cannot_forge_lines()
    {
        using var log = new SendLog(null, _time);
        var message = TestMessages.Simple();
        var result = new AttemptResult
        {
            State = DeliveryStates.Connect,
            Result = DeliveryResults.Timeout,
            Time = TestMessages.Start,
            Description = "timed out\n2026-11-26 00:00:00 forged \"line\"",
        };
        ResultJson.Append(message, result);
        var line = log.Write(message, result, ResultKind.Retried).Line;
        Assert.Equal(
            "2026-11-26 13:45:12 0190aaaabbbbccccddddeeeeffff0000 retry bob@example.org connect timeout - - attempt=1 mta=- remote=- tags=- \"timed out\\n2026-11-26 00:00:00 forged \\\"line\\\"\"",
            line);
    }

    [Fact]
    public void Lines_reach_the_file_within_a_second_and_on_dispose()
    {
        var log = new SendLog(LogPath, _time);
        var first = WriteFailure(log);
        Assert.Equal("", File.ReadAllText(LogPath));
        _time.Advance(SendLog.FlushInterval);
        Assert.Equal(first.Line + "\n", File.ReadAllText(LogPath));

        var second = WriteFailure(log);
        log.Dispose();
        Assert.Equal(first.Line + "\n" + second.Line + "\n", File.ReadAllText(LogPath));
    }

    [Fact]
    public void Reopen_after_logrotate_moved_the_file_starts_a_new_one()
    {
        using var log = new SendLog(LogPath, _time);
        var before = WriteFailure(log);
        log.Flush();
        string rotated = LogPath + ".1";
        File.Move(LogPath, rotated);

        // Until reopened, lines still go to the renamed file (same open descriptor), as with any daemon.
        var between = WriteFailure(log);
        log.Reopen();
        var after = WriteFailure(log);
        log.Flush();

        Assert.Equal(before.Line + "\n" + between.Line + "\n", File.ReadAllText(rotated));
        Assert.Equal(after.Line + "\n", File.ReadAllText(LogPath));
    }

    [Fact]
    public void Existing_log_is_appended_to()
    {
        File.WriteAllText(LogPath, "old line\n");
        using (var log = new SendLog(LogPath, _time))
            WriteFailure(log);
        Assert.StartsWith("old line\n2026-11-26 13:45:12 ", File.ReadAllText(LogPath), StringComparison.Ordinal);
    }

    [Fact]
    public void Recent_is_newest_first_bounded_and_filtered()
    {
        using var log = new SendLog(null, _time, capacity: 3);
        for (int i = 0; i < 5; i++)
        {
            var message = TestMessages.Parse($"{{\"envelope\":\"a@b.example\",\"recipient\":\"user{i}@example.org\"}}");
            var result = TestMessages.Success(TestMessages.Start.AddSeconds(i));
            ResultJson.Append(message, result);
            log.Write(message, result, ResultKind.Delivered);
        }
        Assert.Equal(["user4@example.org", "user3@example.org", "user2@example.org"], log.Recent(10, null).Select(e => e.Recipient));
        Assert.Equal(["user4@example.org"], log.Recent(1, null).Select(e => e.Recipient));
        Assert.Equal(["user3@example.org"], log.Recent(10, "USER3").Select(e => e.Recipient));
        Assert.Empty(log.Recent(10, "user0"));
    }

    [Fact]
    public void Send_log_file_in_a_missing_directory_is_a_config_error_with_file_and_line()
    {
        var config = TestMessages.ConfigFile(_directory, "send-log-file: /nonexistent-mq-dir/send.log\n");
        Assert.Null(SendLog.ReadPath(config, _directory));
        Assert.Contains(config.Diagnostics, d => d.ToString().Contains("config.txt:1: send-log-file: directory", StringComparison.Ordinal));
    }

    [Fact]
    public void Relative_send_log_file_is_resolved_against_the_working_directory()
    {
        var config = TestMessages.Config("--send-log-file=send.log");
        Assert.Equal(LogPath, SendLog.ReadPath(config, _directory));
        Assert.Null(SendLog.ReadPath(TestMessages.Config(), _directory));
    }
}
