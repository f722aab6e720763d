namespace MailerQ.Www.Core.Delivery;

/// <summary>One send-log line, parsed for the console's Logs page (docs/delivery.md "Send log").</summary>
public sealed record SendLogEntry
{
    /// <summary>When the attempt ended.</summary>
    public required DateTimeOffset Time { get; init; }
    /// <summary>The message id.</summary>
    public required string Id { get; init; }

    /// <summary><c>delivered</c>, <c>failed</c> or <c>retry</c>.</summary>
    public required string Disposition { get; init; }

    /// <summary>The recipient address.</summary>
    public required string Recipient { get; init; }
    /// <summary>The SMTP stage the attempt ended in (<c>connect</c>, <c>rcpt</c>, <c>data</c>, …).</summary>
    public required string State { get; init; }
    /// <summary>The result as MailerQ names it (<c>ok</c>, <c>error</c>, …).</summary>
    public required string Result { get; init; }
    /// <summary>The SMTP reply code, or 0.</summary>
    public int Code { get; init; }
    /// <summary>The enhanced status code (RFC 3463), or null.</summary>
    public string? Status { get; init; }

    /// <summary>Attempts made so far, this one included.</summary>
    public int Attempt { get; init; }

    /// <summary>Local source IP (MailerQ's "MTA IP").</summary>
    public string? Mta { get; init; }

    /// <summary>Remote IP the attempt went to.</summary>
    public string? Remote { get; init; }

    /// <summary>The message's tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>The remote server's reply text or the local error.</summary>
    public string Description { get; init; } = "";

    /// <summary>The line as written to <c>send-log-file</c>, without its newline.</summary>
    public required string Line { get; init; }
}
