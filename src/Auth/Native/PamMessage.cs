namespace MailerQ.Www.Auth.Native;

/// <summary><c>struct pam_message</c> (security/_pam_types.h).</summary>
internal unsafe struct PamMessage
{
    public int Style;
    public byte* Text;
}
