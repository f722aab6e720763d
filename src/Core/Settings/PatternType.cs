namespace MailerQ.Www.Core.Settings;

/// <summary>
/// How a local-address or DKIM sign pattern matches (5.13/database-access.md: regex, fnmatch, substr, exact;
/// 4.4/mgmt-dkim.md adds "global" for sign patterns: every From domain).
/// </summary>
internal enum PatternType
{
    Exact,
    Regex,
    Fnmatch,
    Substr,
    Global,
}
