using System.Globalization;
using System.Text.Json.Nodes;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Smtp.Delivery.Messages;

namespace MailerQ.Www.Smtp.Delivery.Results;

/// <summary>
/// When a temporarily failed message is tried again, and when it is given up (5.13/other-configuration.md):
/// <c>retry-interval</c> seconds between attempts with the last value repeating, <c>max-delivertime</c> after first
/// pickup, <c>max-attempts</c> (0 = unlimited); a message's own <c>retries</c>, <c>maxdelivertime</c> and
/// <c>maxattempts</c> (json-messages.md) take precedence.
/// </summary>
internal sealed class RetryPolicy
{
    /// <summary>MailerQ's <c>retry-interval</c> default: 10 min twice, 30 min twice, 1 h twice, then every 2 h.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultIntervals =
        [Seconds(600), Seconds(600), Seconds(1800), Seconds(1800), Seconds(3600), Seconds(3600), Seconds(7200)];

    /// <summary>MailerQ's <c>max-delivertime</c> default: give up 24 h after first pickup.</summary>
    public static readonly TimeSpan DefaultMaxDeliverTime = TimeSpan.FromSeconds(86400);

    /// <summary>
    /// A numeric <c>maxdelivertime</c> below this (2001-09-09 as a Unix time) is read as seconds after first pickup,
    /// not as a timestamp: a literal Unix time that old would expire every message at once, so it is surely relative.
    /// </summary>
    private const long RelativeDeliverTimeLimit = 1_000_000_000;

    /// <summary>Upper bound for one interval: a year catches a mistyped extra digit.</summary>
    private static readonly TimeSpan MaxInterval = TimeSpan.FromDays(365);

    public RetryPolicy(IReadOnlyList<TimeSpan> intervals, TimeSpan maxDeliverTime, int maxAttempts)
    {
        if (intervals.Count == 0)
            throw new ArgumentException("at least one interval is needed", nameof(intervals));
        Intervals = intervals;
        MaxDeliverTime = maxDeliverTime;
        MaxAttempts = maxAttempts;
    }

    public static RetryPolicy Default { get; } = new(DefaultIntervals, DefaultMaxDeliverTime, 0);

    /// <summary>Waits between attempts; the last one repeats.</summary>
    public IReadOnlyList<TimeSpan> Intervals { get; }

    /// <summary><c>max-delivertime</c>; zero = no time limit.</summary>
    public TimeSpan MaxDeliverTime { get; }

    /// <summary><c>max-attempts</c>; 0 = unlimited.</summary>
    public int MaxAttempts { get; }

    /// <summary>Reads <c>retry-interval</c>, <c>max-delivertime</c> and <c>max-attempts</c>; problems go to the config's diagnostics.</summary>
    public static RetryPolicy Read(ConfigSet config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var intervals = new List<TimeSpan>();
        var entry = config.Last("retry-interval");
        foreach (var item in config.GetList("retry-interval"))
        {
            if (TryParseInterval(item, out var interval))
                intervals.Add(interval);
            else
                config.Report(entry!, $"{ConfigText.Quote(item)} is not an interval (whole seconds from 1 to one year, or with s, m or h)");
        }
        if (intervals.Count == 0)
        {
            if (entry is not null && config.GetList("retry-interval").Count == 0)
                config.Report(entry, "must list at least one interval");
            intervals.AddRange(DefaultIntervals);
        }

        var maxDeliverTime = config.GetDuration("max-delivertime", DefaultMaxDeliverTime);
        int maxAttempts = config.GetInt("max-attempts", 0, 0, 1_000_000);
        return new RetryPolicy(intervals, maxDeliverTime, maxAttempts);
    }

    /// <summary>
    /// When to try <paramref name="message"/> again after its latest attempt (already in its <c>results</c>), or null
    /// when it has used up its attempts or its delivery time. The wait follows the message's <c>retries</c> or
    /// <see cref="Intervals"/>, indexed by the attempts made; it never goes past the deadline, so the last attempt
    /// happens at the deadline itself.
    /// </summary>
    public DateTimeOffset? NextAttempt(OutboxMessage message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        int attempts = message.Attempts;
        int maxAttempts = message.MaxAttempts is int own and >= 0 ? own : MaxAttempts;
        if (maxAttempts > 0 && attempts >= maxAttempts)
            return null;
        var deadline = Deadline(message, now);
        if (deadline is { } end && now >= end)
            return null;
        var next = now + Interval(message, attempts);
        return deadline is { } limit && next > limit ? limit : next;
    }

    /// <summary>True when the message's delivery time is over (the engine checks before an attempt, too).</summary>
    public bool IsExpired(OutboxMessage message, DateTimeOffset now) => Deadline(message, now) is { } end && now >= end;

    /// <summary>
    /// The moment the message is given up: its <c>maxdelivertime</c> (a timestamp, or seconds after first pickup),
    /// else first pickup + <see cref="MaxDeliverTime"/>; null when neither limits it.
    /// </summary>
    public DateTimeOffset? Deadline(OutboxMessage message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var node = message.Json["maxdelivertime"];
        if (node is JsonValue value && RelativeSeconds(value) is long seconds)
            return message.FirstSeen(now) + TimeSpan.FromSeconds(seconds);
        if (OutboxJson.Time(node) is { } absolute)
            return absolute;
        return MaxDeliverTime > TimeSpan.Zero ? message.FirstSeen(now) + MaxDeliverTime : null;
    }

    /// <summary>The wait after <paramref name="attempts"/> attempts: the message's <c>retries</c> or <see cref="Intervals"/>, last repeating.</summary>
    public TimeSpan Interval(OutboxMessage message, int attempts)
    {
        int index = Math.Max(attempts - 1, 0);
        var own = OwnRetries(message);
        if (own is { Count: > 0 })
            return TimeSpan.FromSeconds(own[Math.Min(index, own.Count - 1)]);
        return Intervals[Math.Min(index, Intervals.Count - 1)];
    }

    /// <summary>The final result MailerQ appends when it gives a message up: state process, result timeout.</summary>
    public static AttemptResult TimeoutResult(DateTimeOffset now, string description) => new()
    {
        State = DeliveryStates.Process,
        Result = DeliveryResults.Timeout,
        Time = now,
        Description = description,
        Fatal = true,
    };

    /// <summary><c>retries</c> as an array of seconds or, as <c>x-mq-retries</c> extraction may leave it, a comma list.</summary>
    private static IReadOnlyList<int>? OwnRetries(OutboxMessage message)
    {
        if (message.Retries is { } array)
            return array;
        if (OutboxJson.String(message.Json, "retries") is not { Length: > 0 } text)
            return null;
        var list = new List<int>();
        foreach (var item in text.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds))
                list.Add(seconds);
        }
        return list;
    }

    private static long? RelativeSeconds(JsonValue value)
    {
        long seconds;
        if (value.TryGetValue(out long l))
            seconds = l;
        else if (value.TryGetValue(out int i))
            seconds = i;
        else if (value.TryGetValue(out double d) && double.IsFinite(d))
            seconds = (long)d;
        else if (!(value.TryGetValue(out string? s) && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out seconds)))
            return null;
        return seconds >= 0 && seconds < RelativeDeliverTimeLimit ? seconds : null;
    }

    /// <summary>Seconds, or a number with <c>s</c>, <c>m</c> or <c>h</c> (CONTRACT.md "durations"); 1 s to a year.</summary>
    private static bool TryParseInterval(string text, out TimeSpan interval)
    {
        interval = default;
        int digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
            digits++;
        if (digits == 0 || digits > 9 || !long.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out long number))
            return false;
        long unit = text.AsSpan(digits).Trim().ToString().ToLowerInvariant() switch
        {
            "" or "s" => 1,
            "m" => 60,
            "h" => 3600,
            _ => 0,
        };
        if (unit == 0)
            return false;
        interval = TimeSpan.FromSeconds(number * unit);
        return interval >= TimeSpan.FromSeconds(1) && interval <= MaxInterval;
    }

    private static TimeSpan Seconds(int seconds) => TimeSpan.FromSeconds(seconds);
}
