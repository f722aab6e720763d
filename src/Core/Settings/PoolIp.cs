namespace MailerQ.Www.Core.Settings;

/// <summary>A local IP in pool <paramref name="Name"/>; an IP belongs to at most one pool (UG/ip-pools.md).</summary>
internal sealed record PoolIp(string Ip, string Name);
