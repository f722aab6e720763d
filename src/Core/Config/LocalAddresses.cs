using System.Net;
using System.Net.NetworkInformation;

namespace MailerQ.Www.Core.Config;

/// <summary>The unicast addresses assigned to this host's interfaces, loopback included.</summary>
internal static class LocalAddresses
{
    /// <summary>
    /// True when <paramref name="address"/> is assigned to a local interface. MailerQ: "the IP address that
    /// you assign must be bound to the server" (management-console.md); checking at load turns a bind
    /// failure at start into a config error with file and line.
    /// </summary>
    public static bool IsAssigned(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();

        NetworkInterface[] interfaces;
        try
        {
            interfaces = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            // Without an interface list nothing can be proven wrong; the bind itself will report it.
            return true;
        }

        foreach (var nic in interfaces)
        {
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (SameAddress(address, unicast.Address))
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Compares bytes, ignoring the IPv6 scope when the configured address has none: interface addresses
    /// carry a scope id for link-local <c>fe80::</c>, which operators rarely write.
    /// </summary>
    private static bool SameAddress(IPAddress configured, IPAddress local)
    {
        if (configured.AddressFamily != local.AddressFamily)
            return false;
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        if (!configured.TryWriteBytes(a, out int lengthA) || !local.TryWriteBytes(b, out int lengthB) || lengthA != lengthB)
            return false;
        if (!a[..lengthA].SequenceEqual(b[..lengthB]))
            return false;
        return configured.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6
            || configured.ScopeId == 0
            || configured.ScopeId == local.ScopeId;
    }
}
