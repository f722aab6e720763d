using MailerQ.Www.Auth.Net;

namespace MailerQ.Www.Auth.Ldap;

/// <summary>
/// A parsed <c>www-auth</c> LDAP line (docs/auth-ldap-radius.md):
/// <c>ldap://host[:port]/base_dn[?starttls][&amp;cafile=/path]</c> or <c>ldaps://host[:port]/base_dn[?cafile=/path]</c>.
/// The base DN is percent-decoded (RFC 4516 §2: a space is <c>%20</c>, a <c>?</c> is <c>%3F</c>).
/// </summary>
internal sealed record LdapUrl(HostPort Endpoint, string BaseDn, LdapSecurity Security, string? CaFile)
{
    /// <summary>RFC 4516 §2: 389 for ldap.</summary>
    public const int DefaultPort = 389;

    /// <summary>RFC 4516 does not cover ldaps; 636 is its IANA port.</summary>
    public const int DefaultTlsPort = 636;

    /// <summary>Parses a URL; on failure <paramref name="error"/> says why, for a config diagnostic.</summary>
    public static bool TryParse(string text, out LdapUrl? url, out string? error)
    {
        url = null;
        LdapSecurity security;
        ReadOnlySpan<char> rest;
        if (text.StartsWith("ldap://", StringComparison.OrdinalIgnoreCase))
        {
            security = LdapSecurity.None;
            rest = text.AsSpan("ldap://".Length);
        }
        else if (text.StartsWith("ldaps://", StringComparison.OrdinalIgnoreCase))
        {
            security = LdapSecurity.Ldaps;
            rest = text.AsSpan("ldaps://".Length);
        }
        else
        {
            error = "expected ldap://host:port/base_dn or ldaps://host:port/base_dn";
            return false;
        }

        int slash = rest.IndexOfAny('/', '?');
        var authority = slash < 0 ? rest : rest[..slash];
        if (authority.Contains('@'))
        {
            error = "user information is not used in an ldap URL; the login binds as uid=<user>,<base_dn>";
            return false;
        }
        if (!HostPort.TryParse(authority, security == LdapSecurity.Ldaps ? DefaultTlsPort : DefaultPort, out var endpoint, out error))
            return false;

        if (slash < 0 || rest[slash] != '/')
        {
            error = "missing base DN: ldap://host:port/base_dn";
            return false;
        }
        rest = rest[(slash + 1)..];
        int question = rest.IndexOf('?');
        var dnText = question < 0 ? rest : rest[..question];
        if (!PercentEncoding.TryDecode(dnText.ToString(), out string baseDn))
        {
            error = "bad percent-encoding in the base DN (write % as %25)";
            return false;
        }
        if (baseDn.Length == 0 || !baseDn.Contains('=', StringComparison.Ordinal) || WireCredentialRules.HasControlCharacters(baseDn))
        {
            error = "missing or bad base DN (e.g. ou=people,dc=example,dc=org)";
            return false;
        }

        string? caFile = null;
        if (question >= 0 && !TryParseOptions(rest[(question + 1)..], ref security, ref caFile, out error))
            return false;
        if (caFile is not null && security == LdapSecurity.None)
        {
            error = "cafile= needs TLS: use ldaps:// or ?starttls";
            return false;
        }
        url = new LdapUrl(endpoint, baseDn, security, caFile);
        error = null;
        return true;
    }

    // Options are "&"-separated: "starttls" and "cafile=/path" (this project's extension; RFC 4516's
    // positional ?attrs?scope?filter are meaningless for a bind and are not accepted).
    private static bool TryParseOptions(ReadOnlySpan<char> options, ref LdapSecurity security, ref string? caFile, out string? error)
    {
        error = null;
        foreach (var range in options.Split('&'))
        {
            var option = options[range];
            if (option.IsEmpty)
                continue;
            if (option.Equals("starttls", StringComparison.OrdinalIgnoreCase))
            {
                if (security == LdapSecurity.Ldaps)
                {
                    error = "?starttls is for ldap://; ldaps:// is TLS already";
                    return false;
                }
                security = LdapSecurity.StartTls;
            }
            else if (option.StartsWith("cafile=", StringComparison.OrdinalIgnoreCase))
            {
                if (!PercentEncoding.TryDecode(option["cafile=".Length..].ToString(), out string path) || path.Length == 0)
                {
                    error = "cafile= needs a file name";
                    return false;
                }
                caFile = path;
            }
            else
            {
                error = $"unknown option '{option}' (known: starttls, cafile=/path)";
                return false;
            }
        }
        return true;
    }
}
