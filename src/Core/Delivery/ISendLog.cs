namespace MailerQ.Www.Core.Delivery;

/// <summary>The recent send-log lines for the console's Logs page (<c>/api/logs</c>); without one the page is empty.</summary>
public interface ISendLog
{
    /// <summary>How many lines are kept; <c>/api/logs</c> asks for this many and filters them.</summary>
    int Capacity { get; }

    /// <summary>Up to <paramref name="limit"/> lines, newest first, that contain <paramref name="filter"/> (any case; null = all).</summary>
    IReadOnlyList<SendLogEntry> Recent(int limit, string? filter);
}
