namespace MailerQ.Www.Auth.Net;

/// <summary>
/// Checks on a user name and password made before any network backend is asked. A name with control
/// characters is never a real account and may be an injection attempt (CONTRACT.md: refused like a wrong
/// password), so it is refused without contacting the server.
/// </summary>
internal static class WireCredentialRules
{
    /// <summary>True when <paramref name="text"/> holds a C0 control, DEL or a C1 control.</summary>
    public static bool HasControlCharacters(string text)
    {
        foreach (char c in text)
        {
            if (char.IsControl(c))
                return true;
        }
        return false;
    }

    /// <summary>True when <paramref name="text"/> holds an unpaired UTF-16 surrogate (not encodable as UTF-8).</summary>
    public static bool HasLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                    return true;
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return true;
            }
        }
        return false;
    }
}
