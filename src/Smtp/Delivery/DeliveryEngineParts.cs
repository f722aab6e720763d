using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Smtp.Client;
using MailerQ.Www.Smtp.Delivery.Messages;
using MailerQ.Www.Smtp.Delivery.Outbox;
using MailerQ.Www.Smtp.Delivery.Results;
using MailerQ.Www.Smtp.Dns;
using MailerQ.Www.Smtp.Sessions;
using MailerQ.Www.Core.Sessions;

namespace MailerQ.Www.Smtp.Delivery;

/// <summary>Signs a message for its attempt; returns the bytes to send, or sets <paramref name="error"/>.</summary>
internal delegate ReadOnlyMemory<byte> MessageSigner(OutboxMessage message, ReadOnlyMemory<byte> mime, SettingsSnapshot settings, DateTimeOffset now, out string? error);

/// <summary>The collaborators of a <see cref="DeliveryEngine"/>, composed by the host (or a test).</summary>
internal sealed class DeliveryEngineParts
{
    public required IOutboxReader Outbox { get; init; }

    /// <summary>Where parked (paused) mail goes.</summary>
    public required IQueuePublisher Publisher { get; init; }

    /// <summary>The current settings snapshot (cheap; called at every decision).</summary>
    public required Func<SettingsSnapshot> Settings { get; init; }

    public required MxResolver Dns { get; init; }

    public required ResultRouter Results { get; init; }

    /// <summary>Decides whether a message has expired before it is tried (maxdelivertime, max-attempts).</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>Moves parked mail back to the outbox; returns how many. Null = pauses never release parked mail (no parking queue).</summary>
    public Func<CancellationToken, ValueTask<int>>? ResumeParked { get; init; }

    public OverviewCounters? Counters { get; init; }

    public MessageSigner? Sign { get; init; }

    public ISmtpTrace Trace { get; init; } = NullSmtpTrace.Instance;

    public RecentSessions? Sessions { get; init; }

    /// <summary>Timeouts and certificate policy for client connections (the rest is filled per connection).</summary>
    public SmtpClientOptions ClientTemplate { get; init; } = new() { HeloName = "localhost" };

    /// <summary>Port of MX hosts (25; tests point it elsewhere).</summary>
    public int MxPort { get; init; } = 25;

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
