using MailerQ.Www.Smtp.Delivery.Messages;
using MailerQ.Www.Smtp.Delivery.Results;
using Microsoft.Extensions.Time.Testing;

namespace MailerQ.Www.Delivery.Tests.Results;

public sealed class RetryPolicyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mq-retry-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Fails the message temporarily at the fake clock's time, asks the policy, and moves the clock there.</summary>
    private static List<double> RunTemporaryFailures(RetryPolicy policy, OutboxMessage message, FakeTimeProvider time, int limit)
    {
        var waits = new List<double>();
        for (int i = 0; i < limit; i++)
        {
            var now = time.GetUtcNow();
            ResultJson.Append(message, TestMessages.Temporary(now));
            if (policy.NextAttempt(message, now) is not { } next)
                break;
            waits.Add((next - now).TotalSeconds);
            time.SetUtcNow(next);
        }
        return waits;
    }

    [Fact]
    public void Default_intervals_are_MailerQs_with_the_last_repeating()
    {
        var time = new FakeTimeProvider(TestMessages.Start);
        var waits = RunTemporaryFailures(RetryPolicy.Read(TestMessages.Config()), TestMessages.Simple(), time, 10);
        Assert.Equal([600, 600, 1800, 1800, 3600, 3600, 7200, 7200, 7200, 7200], waits);
    }

    [Fact]
    public void Default_gives_up_24_hours_after_first_pickup_with_the_last_attempt_at_the_deadline()
    {
        var time = new FakeTimeProvider(TestMessages.Start);
        var message = TestMessages.Simple();
        var waits = RunTemporaryFailures(RetryPolicy.Read(TestMessages.Config()), message, time, 100);
        Assert.Equal(TestMessages.Start.AddSeconds(86400), time.GetUtcNow());
        // 19200 s for the first seven waits, then 7200 s steps, and the last one shortened to hit the deadline.
        Assert.Equal(86400, waits.Sum());
        Assert.Equal(86400 - 19200 - 9 * 7200, waits[^1]);
        Assert.Equal(waits.Count + 1, message.Attempts);
    }

    [Fact]
    public void Configured_retry_interval_is_used_and_its_last_value_repeats()
    {
        var time = new FakeTimeProvider(TestMessages.Start);
        var policy = RetryPolicy.Read(TestMessages.Config("--retry-interval=60;2m, 1h"));
        var waits = RunTemporaryFailures(policy, TestMessages.Simple(), time, 5);
        Assert.Equal([60, 120, 3600, 3600, 3600], waits);
    }

    [Fact]
    public void Message_retries_override_the_configured_intervals()
    {
        var time = new FakeTimeProvider(TestMessages.Start);
        var waits = RunTemporaryFailures(RetryPolicy.Read(TestMessages.Config()), TestMessages.Simple(",\"retries\":[10,20,30]"), time, 5);
        Assert.Equal([10, 20, 30, 30, 30], waits);
    }

    [Fact]
    public void Message_retries_may_be_a_comma_list_as_x_mq_retries_leaves_it()
    {
        var time = new FakeTimeProvider(TestMessages.Start);
        var waits = RunTemporaryFailures(RetryPolicy.Default, TestMessages.Simple(",\"retries\":\"5,15\""), time, 3);
        Assert.Equal([5, 15, 15], waits);
    }

    [Fact]
    public void Max_attempts_from_config_stops_retrying()
    {
        var time = new FakeTimeProvider(TestMessages.Start);
        var message = TestMessages.Simple();
        var waits = RunTemporaryFailures(RetryPolicy.Read(TestMessages.Config("--max-attempts=3")), message, time, 10);
        Assert.Equal([600, 600], waits);
        Assert.Equal(3, message.Attempts);
    }

    [Fact]
    public void Message_maxattempts_overrides_the_config_and_zero_means_unlimited()
    {
        var policy = RetryPolicy.Read(TestMessages.Config("--max-attempts=3"));
        var two = TestMessages.Simple(",\"maxattempts\":2");
        Assert.Single(RunTemporaryFailures(policy, two, new FakeTimeProvider(TestMessages.Start), 10));

        var unlimited = TestMessages.Simple(",\"maxattempts\":0");
        Assert.Equal(6, RunTemporaryFailures(policy, unlimited, new FakeTimeProvider(TestMessages.Start), 6).Count);
    }

    [Fact]
    public void Message_maxdelivertime_timestamp_is_the_deadline()
    {
        var time = new FakeTimeProvider(TestMessages.Start);
        var message = TestMessages.Simple(",\"maxdelivertime\":\"2026-11-26 14:30:12\"");
        var waits = RunTemporaryFailures(RetryPolicy.Default, message, time, 10);
        // 600 + 600 + 1500 (cut from 1800 at the deadline), then the attempt at the deadline ends it.
        Assert.Equal([600, 600, 1500], waits);
        Assert.True(RetryPolicy.Default.IsExpired(message, time.GetUtcNow()));
    }

    [Fact]
    public void Message_maxdelivertime_in_seconds_counts_from_first_pickup()
    {
        var time = new FakeTimeProvider(TestMessages.Start);
        var waits = RunTemporaryFailures(RetryPolicy.Default, TestMessages.Simple(",\"maxdelivertime\":1000"), time, 10);
        Assert.Equal([600, 400], waits);
    }

    [Fact]
    public void First_pickup_of_smtp_mail_is_its_received_time()
    {
        var message = TestMessages.Simple(",\"received\":\"2026-11-25 13:45:12\"");
        var now = TestMessages.Start;
        ResultJson.Append(message, TestMessages.Temporary(now));
        // Received exactly 24 h ago: out of time.
        Assert.Null(RetryPolicy.Default.NextAttempt(message, now));
    }

    [Fact]
    public void Max_delivertime_config_zero_means_no_time_limit()
    {
        var policy = RetryPolicy.Read(TestMessages.Config("--max-delivertime=0"));
        var message = TestMessages.Simple();
        Assert.Null(policy.Deadline(message, TestMessages.Start));
        ResultJson.Append(message, TestMessages.Temporary(TestMessages.Start.AddDays(30)));
        Assert.NotNull(policy.NextAttempt(message, TestMessages.Start.AddDays(30)));
    }

    [Fact]
    public void Bad_retry_interval_items_are_reported_with_file_and_line()
    {
        var config = TestMessages.ConfigFile(_directory, "# results\nretry-interval: 600, soon, 0\n");
        var policy = RetryPolicy.Read(config);
        var messages = config.Diagnostics.Select(d => d.ToString()).ToList();
        Assert.Contains(messages, m => m.StartsWith(Path.Combine(_directory, "config.txt") + ":2: retry-interval: \"soon\"", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains(":2: retry-interval: \"0\"", StringComparison.Ordinal));
        Assert.Equal([TimeSpan.FromSeconds(600)], policy.Intervals);
    }

    [Fact]
    public void Empty_retry_interval_is_an_error_and_the_default_applies()
    {
        var config = TestMessages.ConfigFile(_directory, "retry-interval:\n");
        var policy = RetryPolicy.Read(config);
        Assert.Contains(config.Diagnostics, d => d.ToString().EndsWith(":1: retry-interval: must list at least one interval", StringComparison.Ordinal));
        Assert.Equal(RetryPolicy.DefaultIntervals, policy.Intervals);
    }

    [Fact]
    public void Bad_max_attempts_and_max_delivertime_are_reported()
    {
        var config = TestMessages.ConfigFile(_directory, "max-attempts: many\nmax-delivertime: 1 day\n");
        RetryPolicy.Read(config);
        Assert.Contains(config.Diagnostics, d => d.ToString().Contains(":1: max-attempts:", StringComparison.Ordinal));
        Assert.Contains(config.Diagnostics, d => d.ToString().Contains(":2: max-delivertime:", StringComparison.Ordinal));
        Assert.True(config.Diagnostics.HasErrors);
    }
}
