namespace MailerQ.Www.Smtp.Sessions;

/// <summary>
/// One id space for every SMTP session in the process, inbound and outbound: the console's session list and
/// the trace bus key on it, so two sessions must never share an id.
/// </summary>
internal static class SessionIds
{
    private static long _last;

    public static long Next() => Interlocked.Increment(ref _last);
}
