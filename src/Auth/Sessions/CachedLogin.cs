namespace MailerQ.Www.Auth.Sessions;

/// <summary>A cached Basic-auth success: who, through which scheme, until when.</summary>
internal sealed record CachedLogin(string User, string Scheme, DateTimeOffset Expires);
