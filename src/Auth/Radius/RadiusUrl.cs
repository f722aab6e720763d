using System.Text;
using MailerQ.Www.Auth.Net;

namespace MailerQ.Www.Auth.Radius;

/// <summary>
/// A parsed <c>www-auth</c> RADIUS line: <c>radius://identifier:secret@host[:port][,host[:port]…]</c>
/// (MailerQ's form, extended with a failover list; docs/auth-ldap-radius.md). The identifier and secret
/// are percent-decoded, so a secret may hold any byte (<c>%40</c> for <c>@</c>, <c>%25</c> for <c>%</c>);
/// the user information ends at the last <c>@</c>, so a raw <c>@</c>, <c>:</c> or <c>,</c> in the secret also works.
/// </summary>
internal sealed record RadiusUrl(string Identifier, byte[] Secret, IReadOnlyList<HostPort> Hosts)
{
    /// <summary>RFC 2865 §3: the authentication port is 1812.</summary>
    public const int DefaultPort = 1812;

    /// <summary>Parses a URL; on failure <paramref name="error"/> says why, without repeating the secret.</summary>
    public static bool TryParse(string text, out RadiusUrl? url, out string? error)
    {
        url = null;
        const string prefix = "radius://";
        if (!text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            error = "expected radius://identifier:secret@host:port";
            return false;
        }
        var rest = text.AsSpan(prefix.Length);
        int at = rest.LastIndexOf('@');
        int colon = at < 0 ? -1 : rest[..at].IndexOf(':');
        if (at < 0 || colon < 0)
        {
            error = "missing identifier:secret@ before the host";
            return false;
        }
        if (!PercentEncoding.TryDecode(rest[..colon].ToString(), out string identifier)
            || !PercentEncoding.TryDecode(rest[(colon + 1)..at].ToString(), out string secret))
        {
            error = "bad percent-encoding in identifier:secret (write % as %25)";
            return false;
        }
        if (secret.Length == 0)
        {
            error = "empty shared secret";
            return false;
        }
        if (WireCredentialRules.HasControlCharacters(identifier) || Encoding.UTF8.GetByteCount(identifier) > RadiusLimits.MaxStringBytes)
        {
            error = "bad identifier (printable, at most 253 bytes)";
            return false;
        }

        var hostList = rest[(at + 1)..];
        if (hostList.EndsWith('/'))
            hostList = hostList[..^1];
        if (hostList.IndexOfAny('/', '?', '#') >= 0)
        {
            error = "a radius URL has no path or options after the hosts";
            return false;
        }
        var hosts = new List<HostPort>();
        foreach (var range in hostList.Split(','))
        {
            if (!HostPort.TryParse(hostList[range], DefaultPort, out var host, out error))
            {
                error = "host " + (hosts.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + ": " + error;
                return false;
            }
            hosts.Add(host);
        }
        if (hosts.Count > RadiusLimits.MaxHosts)
        {
            error = $"at most {RadiusLimits.MaxHosts} hosts";
            return false;
        }
        url = new RadiusUrl(identifier, Encoding.UTF8.GetBytes(secret), hosts);
        error = null;
        return true;
    }
}
