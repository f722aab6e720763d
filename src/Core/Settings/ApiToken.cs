namespace MailerQ.Www.Core.Settings;

/// <summary>
/// A REST API token: only its SHA-256 (<see cref="Hash"/>, 32 bytes) is stored; the token itself is shown once
/// when created (CONTRACT.md "Console API").
/// </summary>
internal sealed record ApiToken(string Name, byte[] Hash, DateTimeOffset Created);
