using System.Globalization;
using System.Text;

namespace MailerQ.Www.Core.Config;

/// <summary>Shared text helpers for config diagnostics.</summary>
internal static class ConfigText
{
    /// <summary>
    /// Quotes a value for a diagnostic line. Control characters are escaped so a value carrying
    /// CR/LF (possible from environment variables and arguments) cannot split or forge stderr lines.
    /// </summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '\r': sb.Append("\\r"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                default:
                    if (char.IsControl(c))
                        sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                    else
                        sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
        return sb.ToString();
    }
}
