using System.Text;

namespace MailerQ.Www.Auth;

/// <summary>
/// Makes untrusted text (user names typed at the login form, an exec program's output) safe for a
/// one-line log entry: control characters become <c>\xNN</c> (or <c>\n</c>, <c>\r</c>, <c>\t</c>), so nobody
/// can forge a second log line or send terminal escapes, and the text is cut at a length.
/// </summary>
internal static class LogText
{
    /// <summary>Escapes controls and cuts at <paramref name="maxChars"/>, marking the cut with <c>…</c>.</summary>
    public static string Sanitize(string? text, int maxChars = 256)
    {
        if (string.IsNullOrEmpty(text))
            return string.Empty;
        var sb = new StringBuilder(Math.Min(text.Length, maxChars) + 8);
        foreach (char c in text)
        {
            if (sb.Length >= maxChars)
            {
                sb.Append('…');
                break;
            }
            switch (c)
            {
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029')
                        sb.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// A <c>key=value</c> field value: plain when it has no space, quote, backslash, <c>=</c> or control;
    /// else in double quotes with <c>\</c> and <c>"</c> escaped and controls as in <see cref="Sanitize"/>.
    /// </summary>
    public static string Field(string? text, int maxChars = 256)
    {
        if (string.IsNullOrEmpty(text))
            return "\"\"";
        bool plain = true;
        foreach (char c in text)
        {
            if (c <= ' ' || c is '"' or '\\' or '=' || char.IsControl(c) || c is '\u2028' or '\u2029')
            {
                plain = false;
                break;
            }
        }
        if (plain)
            return Sanitize(text, maxChars);
        string escaped = text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        return "\"" + Sanitize(escaped, maxChars) + "\"";
    }
}
