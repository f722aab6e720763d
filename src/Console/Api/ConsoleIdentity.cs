using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Console.Api;

/// <summary>
/// How this instance names itself to operators and to other instances (<c>/api/cluster</c>): <c>www-host</c>,
/// by default the machine's fully qualified name, and <c>www-url</c>, by default
/// <c>https://&lt;www-host&gt;:&lt;www-secure-port&gt;</c> when HTTPS is on, else
/// <c>http://&lt;www-host&gt;:&lt;www-port&gt;</c>, the scheme's default port left out (issue 11, point 3).
/// </summary>
internal sealed record ConsoleIdentity(string Host, string Url)
{
    public static ConsoleIdentity From(WwwSettings www, Func<string>? fqdn = null)
    {
        string host = www.Host ?? (fqdn ?? MachineFqdn)();
        return new ConsoleIdentity(host, www.Url ?? DefaultUrl(host, www.Port, www.SecurePort));
    }

    public static string DefaultUrl(string host, int? port, int? securePort)
    {
        // An IPv6 literal needs brackets in a URL (RFC 3986 §3.2.2).
        string authority = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        if (securePort is int sp)
            return sp == 443 ? $"https://{authority}" : string.Create(CultureInfo.InvariantCulture, $"https://{authority}:{sp}");
        if (port is int p)
            return p == 80 ? $"http://{authority}" : string.Create(CultureInfo.InvariantCulture, $"http://{authority}:{p}");
        return $"http://{authority}";
    }

    /// <summary>
    /// The canonical name the resolver gives the host name (what <c>hostname -f</c> prints); the bare host name
    /// when the resolver has nothing better.
    /// </summary>
    public static string MachineFqdn()
    {
        string name = Dns.GetHostName();
        if (name.Contains('.', StringComparison.Ordinal)) return name;
        try
        {
            var entry = Dns.GetHostEntry(name);
            return string.IsNullOrEmpty(entry.HostName) ? name : entry.HostName;
        }
        catch (SocketException)
        {
            return name;
        }
    }
}
