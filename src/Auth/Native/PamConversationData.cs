namespace MailerQ.Www.Auth.Native;

/// <summary>What the conversation answers with: NUL-terminated UTF-8 in native memory the caller wipes and frees.</summary>
internal unsafe struct PamConversationData
{
    public byte* UserName;
    public byte* Password;
}
