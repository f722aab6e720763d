using System.Net;
using System.Net.Sockets;
using MailerQ.Www.Core.Settings;

namespace MailerQ.Www.Console.Settings;

/// <summary>
/// The "where" fields pauses and forced errors share (5.13/rest-api-v1-pauses.md, -errors.md): <c>mta</c> or
/// <c>pool</c> (not both), <c>domain</c> or <c>ip</c> (not both), <c>tag</c>. <c>*</c> is the wildcard.
/// </summary>
internal readonly record struct Selectors(string? Mta, string? Pool, string? Domain, string? Ip, string? Tag)
{
    public static bool TryRead(RequestFields f, out Selectors selectors, out string error)
    {
        selectors = default;
        error = "";
        var mta = f.Text("mta");
        var pool = f.Text("pool");
        var domain = f.Text("domain")?.TrimEnd('.').ToLowerInvariant();
        var ip = f.Text("ip");
        var tag = f.Text("tag");
        if (mta is not null && pool is not null)
        {
            error = "mta and pool exclude each other";
            return false;
        }
        if (domain is not null && ip is not null)
        {
            error = "domain and ip exclude each other";
            return false;
        }
        if (!IsIpOrWild(mta))
        {
            error = "mta must be an IP address";
            return false;
        }
        if (!IsIpOrWild(ip))
        {
            error = "ip must be an IP address";
            return false;
        }
        if (pool is not null && !IsPoolName(pool) && pool != "*")
        {
            error = "pool must be a pool name (letters, digits, '-', '_', '.')";
            return false;
        }
        if (domain is not null && (domain.Length > 255 || domain.AsSpan().ContainsAny(" \t@/")))
        {
            error = "domain must be a domain name";
            return false;
        }
        if (tag is not null && tag.Length > 255)
        {
            error = "tag is longer than 255 characters";
            return false;
        }
        selectors = new Selectors(Canonical(mta), pool, domain, Canonical(ip), tag);
        return true;
    }

    /// <summary>Names of pools and tokens: what fits in a URL path and a log line unquoted.</summary>
    public static bool IsPoolName(string name)
    {
        if (name.Length is 0 or > 64) return false;
        foreach (char c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) return false;
        return true;
    }

    /// <summary>Strict IP literals: the shorthand forms IPAddress.TryParse takes (<c>10.1</c>) are typos here.</summary>
    public static bool IsIp(string value) => MailerQ.Www.Core.Config.ConfigSet.TryParseIp(value, out _);

    private static bool IsIpOrWild(string? value) => value is null || value == "*" || IsIp(value);

    /// <summary>One spelling per address, so the snapshot's string comparisons find it.</summary>
    private static string? Canonical(string? ip) =>
        ip is null || ip == "*" || !IPAddress.TryParse(ip, out var a) ? ip
        : a.AddressFamily == AddressFamily.InterNetworkV6 && a.IsIPv4MappedToIPv6 ? a.MapToIPv4().ToString() : a.ToString();
}
