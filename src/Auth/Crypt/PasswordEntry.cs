namespace MailerQ.Www.Auth.Crypt;

/// <summary>One user of a password file: the stored hash, its format and the line it came from.</summary>
internal sealed record PasswordEntry(string Hash, CryptFormat Format, int Line);
