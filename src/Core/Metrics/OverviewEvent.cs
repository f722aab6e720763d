namespace MailerQ.Www.Core.Metrics;

/// <summary>
/// The six numbers of MailerQ's overview page (management console, "Overview"): what the delivery engine
/// reports for every outgoing connection and attempt.
/// </summary>
public enum OverviewEvent : byte
{
    /// <summary>A connection to a remote MTA was set up.</summary>
    Connect,
    /// <summary>A delivery attempt was made (one per message per try).</summary>
    Attempt,
    /// <summary>The remote MTA accepted the message.</summary>
    Delivery,
    /// <summary>The remote MTA refused the message (4xx/5xx).</summary>
    Error,
    /// <summary>Timeouts, lost connections and other odd ends.</summary>
    Strange,
    /// <summary>Failed before a connection existed (DNS, no MX, paused, suppressed…).</summary>
    NotTried,
}
