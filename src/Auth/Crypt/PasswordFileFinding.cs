using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Auth.Crypt;

/// <summary>A problem in a password file, at its 1-based line (0 for the file as a whole).</summary>
internal readonly record struct PasswordFileFinding(ConfigSeverity Severity, int Line, string Message);
