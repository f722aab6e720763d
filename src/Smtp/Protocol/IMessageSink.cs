namespace MailerQ.Www.Smtp.Protocol;

/// <summary>Where message bytes go as they arrive: straight into the queue's spool file.</summary>
internal interface IMessageSink
{
    void Write(ReadOnlySpan<byte> bytes);
}
