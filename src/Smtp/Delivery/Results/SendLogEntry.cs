namespace MailerQ.Www.Smtp.Delivery.Results;

/// <summary>One send-log line, parsed for the console's Logs page (docs/delivery.md "Send log").</summary>
internal sealed record SendLogEntry
{
    public required DateTimeOffset Time { get; init; }
    public required string Id { get; init; }

    /// <summary><c>delivered</c>, <c>failed</c> or <c>retry</c>.</summary>
    public required string Disposition { get; init; }

    public required string Recipient { get; init; }
    public required string State { get; init; }
    public required string Result { get; init; }
    public int Code { get; init; }
    public string? Status { get; init; }

    /// <summary>Attempts made so far, this one included.</summary>
    public int Attempt { get; init; }

    /// <summary>Local source IP (MailerQ's "MTA IP").</summary>
    public string? Mta { get; init; }

    /// <summary>Remote IP the attempt went to.</summary>
    public string? Remote { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];
    public string Description { get; init; } = "";

    /// <summary>The line as written to <c>send-log-file</c>, without its newline.</summary>
    public required string Line { get; init; }
}
