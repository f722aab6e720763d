namespace MailerQ.Www.Smtp.Sessions;

/// <summary>What the synchronous parse step asks the async loop to do next.</summary>
internal enum SessionAction
{
    NeedMore,
    Commit,
    StartTls,
    Authenticate,
    Close,
}
