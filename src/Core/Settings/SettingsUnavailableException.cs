namespace MailerQ.Www.Core.Settings;

/// <summary>
/// A settings write refused because the settings database or the cluster broker is down (issue 11 point 6): delivery
/// goes on with the last snapshot, but a change now would be lost or reach only this instance. The API answers 503
/// with the message, which names what is down.
/// </summary>
internal sealed class SettingsUnavailableException : Exception
{
    public SettingsUnavailableException(string message) : base(message) { }
    public SettingsUnavailableException() { }
    public SettingsUnavailableException(string message, Exception inner) : base(message, inner) { }
}
