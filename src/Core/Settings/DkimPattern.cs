namespace MailerQ.Www.Core.Settings;

/// <summary>A sign pattern of DKIM key <paramref name="KeyId"/>, matched against the From domain (table <c>dkim_patterns</c>).</summary>
internal sealed record DkimPattern(long Id, long KeyId, string Pattern, PatternType Type);
