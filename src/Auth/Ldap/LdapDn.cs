using System.Text;

namespace MailerQ.Www.Auth.Ldap;

/// <summary>
/// Escapes a string for use as an attribute value in a DN (RFC 4514 §2.4), so a user name can never add
/// an RDN, a multi-valued RDN or change the base: <c>admin,dc=example,dc=org</c> stays one value.
/// </summary>
internal static class LdapDn
{
    /// <summary>Returns <paramref name="value"/> with every character RFC 4514 §2.4 requires escaped.</summary>
    public static string EscapeValue(string value)
    {
        var sb = new StringBuilder(value.Length + 8);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                // §2.4: '"', '+', ',', ';', '<', '>' and '\' are escaped with a backslash anywhere.
                // '=' is escaped too (§3 lists it among the "special" characters that may be escaped) so that
                // no server or log reader ever mistakes the value for another attribute type.
                case '"' or '+' or ',' or ';' or '<' or '>' or '\\' or '=':
                    sb.Append('\\').Append(c);
                    break;
                // §2.4: a leading space or '#', and a trailing space.
                case ' ' when i == 0 || i == value.Length - 1:
                case '#' when i == 0:
                    sb.Append('\\').Append(c);
                    break;
                // §2.4: NUL is escaped as "\00"; other controls are escaped the same way (hex pair) so the DN
                // stays printable. Callers refuse names with controls before they get here.
                case < ' ' or '\u007f':
                    sb.Append('\\').Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }
}
