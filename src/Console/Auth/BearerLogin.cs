namespace MailerQ.Www.Console.Auth;

/// <summary>A request authenticated with <c>Authorization: Bearer</c>: which REST API token it used (never the token).</summary>
internal sealed record BearerLogin(string TokenName);
