namespace MailerQ.Www.Auth.Sessions;

/// <summary>Where the first-start admin password hash lives, and whether this start created it.</summary>
internal sealed record AdminBootstrapResult(string PasswordFile, bool Created);
