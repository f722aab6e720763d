namespace MailerQ.Www.Auth.Native;

/// <summary><c>struct pam_conv</c>: the conversation function and its application data.</summary>
internal unsafe struct PamConv
{
    public delegate* unmanaged<int, PamMessage**, PamResponse**, void*, int> Conversation;
    public void* AppData;
}
