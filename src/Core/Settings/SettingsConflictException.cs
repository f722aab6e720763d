namespace MailerQ.Www.Core.Settings;

/// <summary>
/// A write the data refuses: a name that exists, an IP already in another pool, a pool that does not exist.
/// The API answers it with 409 and the message.
/// </summary>
internal sealed class SettingsConflictException : Exception
{
    public SettingsConflictException(string message) : base(message) { }
    public SettingsConflictException() { }
    public SettingsConflictException(string message, Exception inner) : base(message, inner) { }
}
