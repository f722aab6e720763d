namespace MailerQ.Www.Auth.Native;

/// <summary><c>struct pam_response</c>; PAM frees <see cref="Text"/> and the array with free(3).</summary>
internal unsafe struct PamResponse
{
    public byte* Text;
    public int ReturnCode;
}
