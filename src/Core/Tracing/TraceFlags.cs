namespace MailerQ.Www.Core.Tracing;

/// <summary>Byte 9 of the trace header (docs/ws-protocol.md). Unlisted bits are reserved and zero.</summary>
[Flags]
public enum TraceFlags : byte
{
    /// <summary>An inbound session, a whole publish.</summary>
    None = 0,

    /// <summary>The SMTP session is outgoing (we deliver, we are the SMTP client); clear for inbound sessions.</summary>
    Outbound = 0x01,

    /// <summary>More bytes of the same publish follow in the next chunk (a publish larger than one chunk was split).</summary>
    Continued = 0x02,
}
