using System.Text;
using System.Text.RegularExpressions;

namespace MailerQ.Www.Core.Settings;

/// <summary>
/// A local-address or DKIM sign pattern ready to match, case-insensitively (addresses and domains are).
/// <c>exact</c> compares whole strings, <c>substr</c> looks for the pattern anywhere, <c>fnmatch</c> is a
/// shell wildcard over the whole string (<c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[!abc]</c>, 3.0/delivery-limits.md
/// "Wildcard"), <c>regex</c> searches (anchor with <c>^…$</c> to match whole strings), <c>global</c> matches
/// everything. Regexes run interpreted with a time limit, so a pathological pattern cannot stall delivery.
/// </summary>
internal sealed class CompiledPattern
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromSeconds(1);

    private readonly PatternType _type;
    private readonly string _pattern;
    private readonly Regex? _regex;

    private CompiledPattern(PatternType type, string pattern, Regex? regex)
    {
        _type = type;
        _pattern = pattern;
        _regex = regex;
    }

    /// <summary>Compiles; an invalid regex becomes a pattern that matches nothing (validated on write, see <see cref="Validate"/>).</summary>
    public static CompiledPattern Create(string pattern, PatternType type)
    {
        Regex? regex = null;
        if (type is PatternType.Regex or PatternType.Fnmatch)
        {
            string source = type == PatternType.Regex ? pattern : GlobToRegex(pattern);
            try
            {
                // Linear-time matching needs no time limit, so a busy machine never turns a match into a miss.
                regex = new Regex(source, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            }
            catch (NotSupportedException)
            {
                // Backreferences and lookarounds need the backtracking engine: that one runs with a time limit.
                try
                {
                    regex = new Regex(source, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexBudget);
                }
                catch (ArgumentException)
                {
                    return new CompiledPattern(type, pattern, null);
                }
            }
            catch (ArgumentException)
            {
                return new CompiledPattern(type, pattern, null);
            }
        }
        return new CompiledPattern(type, pattern, regex);
    }

    /// <summary>Null when <paramref name="pattern"/> is usable as <paramref name="type"/>, else why not.</summary>
    public static string? Validate(string pattern, PatternType type)
    {
        if (type != PatternType.Global && pattern.Length == 0) return "pattern must not be empty";
        if (pattern.Length > 1000) return "pattern is longer than 1000 characters";
        if (type == PatternType.Regex)
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.CultureInvariant, RegexBudget);
            }
            catch (ArgumentException ex)
            {
                return "invalid regular expression: " + ex.Message;
            }
        }
        return null;
    }

    public bool IsMatch(string input)
    {
        switch (_type)
        {
            case PatternType.Global:
                return true;
            case PatternType.Exact:
                return string.Equals(input, _pattern, StringComparison.OrdinalIgnoreCase);
            case PatternType.Substr:
                return input.Contains(_pattern, StringComparison.OrdinalIgnoreCase);
            default:
                if (_regex is null) return false;
                try
                {
                    return _regex.IsMatch(input);
                }
                catch (RegexMatchTimeoutException)
                {
                    return false;
                }
        }
    }

    /// <summary>Shell wildcard → anchored regex: <c>*</c> any run, <c>?</c> one character, <c>[…]</c> / <c>[!…]</c> a set.</summary>
    internal static string GlobToRegex(string glob)
    {
        var sb = new StringBuilder(glob.Length + 8).Append('^');
        for (int i = 0; i < glob.Length; i++)
        {
            char c = glob[i];
            switch (c)
            {
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    int close = glob.IndexOf(']', i + 2 <= glob.Length ? i + 2 : glob.Length);
                    if (close < 0)
                    {
                        sb.Append(@"\[");
                        break;
                    }
                    var set = glob.AsSpan(i + 1, close - i - 1);
                    sb.Append('[');
                    if (set.Length > 0 && set[0] == '!')
                    {
                        sb.Append('^');
                        set = set[1..];
                    }
                    foreach (char s in set)
                    {
                        if (s is '\\' or '^' or '[' or ']') sb.Append('\\');
                        sb.Append(s);
                    }
                    sb.Append(']');
                    i = close;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return sb.Append('$').ToString();
    }
}
