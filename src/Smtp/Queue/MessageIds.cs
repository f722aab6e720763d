namespace MailerQ.Www.Smtp.Queue;

/// <summary>
/// Message ids: UUIDv7 as 32 hex digits, so ids sort by arrival, never repeat across restarts, and are safe
/// as file names and URL segments.
/// </summary>
internal static class MessageIds
{
    public static string New() => Guid.CreateVersion7().ToString("N");

    public static bool IsValid(ReadOnlySpan<char> id)
    {
        if (id.Length != 32)
            return false;
        foreach (char c in id)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
                return false;
        }
        return true;
    }
}
