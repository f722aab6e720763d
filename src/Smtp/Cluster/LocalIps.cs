using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace MailerQ.Www.Smtp.Cluster;

/// <summary>The addresses an instance announces (5.13/cluster.md: "its local IPs"): unicast, not loopback, not IPv6 link-local.</summary>
internal static class LocalIps
{
    public static IReadOnlyList<string> Find()
    {
        var found = new List<string>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != OperationalStatus.Up) continue;
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    var a = unicast.Address;
                    if (IPAddress.IsLoopback(a) || a.IsIPv6LinkLocal || (a.AddressFamily != AddressFamily.InterNetwork && a.AddressFamily != AddressFamily.InterNetworkV6)) continue;
                    var text = a.ToString();
                    if (!found.Contains(text)) found.Add(text);
                }
            }
        }
        catch (NetworkInformationException)
        {
            // No interface list: announce none rather than fail the start.
        }
        return found;
    }
}
