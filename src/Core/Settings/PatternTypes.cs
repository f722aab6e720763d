namespace MailerQ.Www.Core.Settings;

/// <summary>The database and API spelling of <see cref="PatternType"/> (5.13/database-access.md names).</summary>
internal static class PatternTypes
{
    public static string ToText(PatternType type) => type switch
    {
        PatternType.Exact => "exact",
        PatternType.Regex => "regex",
        PatternType.Fnmatch => "fnmatch",
        PatternType.Substr => "substr",
        PatternType.Global => "global",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Also takes the console's words: wildcard = fnmatch, substring = substr.</summary>
    public static bool TryParse(string? text, out PatternType type)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "exact": type = PatternType.Exact; return true;
            case "regex": type = PatternType.Regex; return true;
            case "fnmatch" or "wildcard": type = PatternType.Fnmatch; return true;
            case "substr" or "substring": type = PatternType.Substr; return true;
            case "global": type = PatternType.Global; return true;
            default: type = PatternType.Exact; return false;
        }
    }
}
