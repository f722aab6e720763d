namespace MailerQ.Www.Auth.Sessions;

/// <summary>What a login hands the browser: the cookie value (never stored in clear) and the CSRF token.</summary>
internal readonly record struct NewSession(string SessionId, string Csrf, Session Session);
