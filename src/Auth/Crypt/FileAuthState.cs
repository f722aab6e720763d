namespace MailerQ.Www.Auth.Crypt;

/// <summary>The password table a <see cref="FileAuthBackend"/> uses and the file stamp it was read at; null File = unreadable.</summary>
internal sealed record FileAuthState(PasswordFile? File, FileStamp Stamp);
