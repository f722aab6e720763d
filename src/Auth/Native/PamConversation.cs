using System.Runtime.InteropServices;

namespace MailerQ.Www.Auth.Native;

/// <summary>
/// The PAM conversation function (pam_conv(3)). Linux-PAM passes <c>msg</c> as an array of pointers to
/// messages, so each message is read as <c>msg[i]-&gt;…</c>. Replies are allocated with
/// <see cref="NativeMemory"/>, which is malloc on Linux, because PAM releases them with free(3).
/// </summary>
internal static unsafe class PamConversation
{
    /// <summary>The function pointer to put in <see cref="PamConv.Conversation"/>.</summary>
    public static delegate* unmanaged<int, PamMessage**, PamResponse**, void*, int> Pointer => &Converse;

    [UnmanagedCallersOnly]
    private static int Converse(int count, PamMessage** messages, PamResponse** responses, void* appData)
    {
        // PAM_MAX_NUM_MSG in _pam_types.h.
        if (count <= 0 || count > 32 || messages is null || responses is null || appData is null)
            return LibPam.ConversationError;

        var data = (PamConversationData*)appData;
        var replies = (PamResponse*)NativeMemory.AllocZeroed((nuint)count, (nuint)sizeof(PamResponse));
        for (int i = 0; i < count; i++)
        {
            PamMessage* message = messages[i];
            switch (message->Style)
            {
                case LibPam.PromptEchoOff:
                    replies[i].Text = Duplicate(data->Password);
                    break;
                case LibPam.PromptEchoOn:
                    // Only a module that wants the user name again asks with echo on.
                    replies[i].Text = Duplicate(data->UserName);
                    break;
                case LibPam.ErrorMessage:
                case LibPam.TextInfo:
                    break;
                default:
                    Free(replies, count);
                    return LibPam.ConversationError;
            }
        }
        *responses = replies;
        return LibPam.Success;
    }

    private static byte* Duplicate(byte* text)
    {
        nuint length = 0;
        while (text[length] != 0) length++;
        var copy = (byte*)NativeMemory.Alloc(length + 1);
        NativeMemory.Copy(text, copy, length + 1);
        return copy;
    }

    private static void Free(PamResponse* replies, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (replies[i].Text is not null)
            {
                byte* text = replies[i].Text;
                nuint length = 0;
                while (text[length] != 0) length++;
                NativeMemory.Clear(text, length);
                NativeMemory.Free(text);
            }
        }
        NativeMemory.Free(replies);
    }
}
