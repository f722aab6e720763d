using System.Globalization;
using System.Net;
using MailerQ.Www.Core.Logging;

namespace MailerQ.Www.Auth.Sessions;

/// <summary>
/// The audit trail of logins: one log line per success, failure and lockout with the user name, the
/// client address and the scheme. Never a password. User names are what a stranger typed, so control
/// characters are escaped (no forged log lines, no terminal escapes) and long names are cut.
/// </summary>
internal sealed class LoginAuditor
{
    private const string Component = "auth";
    private readonly Action<LogLevel, string, string> _sink;

    /// <param name="sink">Receives (level, message, fields); by default the process log.</param>
    public LoginAuditor(Action<LogLevel, string, string>? sink = null)
    {
        _sink = sink ?? ((level, message, fields) => Log.Write(level, Component, message, fields));
    }

    /// <summary>A backend accepted the login. <paramref name="method"/>: how it came (<c>form</c>, <c>basic</c>, <c>basic-cached</c>).</summary>
    public void Succeeded(string userName, IPAddress? client, string scheme, string method) =>
        _sink(LogLevel.Info, "login succeeded", $"user={LogText.Field(userName, 128)} ip={Address(client)} scheme={LogText.Field(scheme, 32)} method={LogText.Field(method, 32)}");

    /// <summary>Every backend refused (or erred); <paramref name="reason"/> is the backends' detail, for the operator only.</summary>
    public void Failed(string userName, IPAddress? client, string scheme, string? reason) =>
        _sink(LogLevel.Warning, "login failed", $"user={LogText.Field(userName, 128)} ip={Address(client)} scheme={LogText.Field(scheme, 32)} reason={LogText.Field(reason ?? "rejected", 512)}");

    /// <summary>The throttle refused the attempt without asking any backend.</summary>
    public void LockedOut(string userName, IPAddress? client, int retryAfterSeconds) =>
        _sink(LogLevel.Warning, "login locked out", $"user={LogText.Field(userName, 128)} ip={Address(client)} retry_after={retryAfterSeconds.ToString(CultureInfo.InvariantCulture)}");

    private static string Address(IPAddress? client) => client?.ToString() ?? "-";
}
