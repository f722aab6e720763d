namespace MailerQ.Www.Auth.Users;

/// <summary>
/// One entry of <c>users://</c>: an exact account name or a glob with <c>*</c> (any run, also empty)
/// and <c>?</c> (one character), matched case-sensitively like Linux account names.
/// </summary>
internal sealed class UserNamePattern
{
    public UserNamePattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        Pattern = pattern;
    }

    public string Pattern { get; }

    /// <summary>Glob match with the classic linear-time backtracking over the last <c>*</c>.</summary>
    public bool Matches(ReadOnlySpan<char> name)
    {
        ReadOnlySpan<char> p = Pattern;
        int pi = 0, ni = 0, star = -1, mark = 0;
        while (ni < name.Length)
        {
            if (pi < p.Length && (p[pi] == '?' || p[pi] == name[ni]))
            {
                pi++;
                ni++;
            }
            else if (pi < p.Length && p[pi] == '*')
            {
                star = pi++;
                mark = ni;
            }
            else if (star >= 0)
            {
                pi = star + 1;
                ni = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (pi < p.Length && p[pi] == '*')
            pi++;
        return pi == p.Length;
    }
}
