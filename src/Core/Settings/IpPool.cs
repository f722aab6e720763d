namespace MailerQ.Www.Core.Settings;

/// <summary>An IP pool (UG/ip-pools.md): a unique name messages can ask for instead of listing IPs.</summary>
internal sealed record IpPool(string Name, string? Description);
