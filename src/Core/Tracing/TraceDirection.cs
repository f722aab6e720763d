namespace MailerQ.Www.Core.Tracing;

/// <summary>Which way the traced bytes crossed the SMTP socket (byte 8 of the trace header, docs/ws-protocol.md).</summary>
public enum TraceDirection : byte
{
    /// <summary>From the SMTP client to the SMTP server ('c').</summary>
    ClientToServer = 0,

    /// <summary>From the SMTP server to the SMTP client ('s').</summary>
    ServerToClient = 1,
}
