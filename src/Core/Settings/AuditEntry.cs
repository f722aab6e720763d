namespace MailerQ.Www.Core.Settings;

/// <summary>One settings change: who (<paramref name="User"/>), what (<paramref name="Action"/> on
/// <paramref name="Target"/>, with <paramref name="Detail"/>) and when.</summary>
internal sealed record AuditEntry(long Id, DateTimeOffset Time, string User, string Action, string Target, string? Detail);
