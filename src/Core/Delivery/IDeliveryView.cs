namespace MailerQ.Www.Core.Delivery;

/// <summary>
/// What an outbound delivery engine shows the console: its routes (the Domains and MTA IPs pages) and what it holds
/// (<c>/api/status</c>). Without one, those pages list only what the overview counters saw, with no routes.
/// Called from console requests on any thread; implementations must not block on the delivery path.
/// </summary>
public interface IDeliveryView
{
    /// <summary>
    /// Routes whose source IP is <paramref name="mta"/> and/or whose recipient domain is <paramref name="domain"/>
    /// (null = any; compared without regard to case).
    /// </summary>
    List<RouteView> Routes(string? mta, string? domain);

    /// <summary>The source IPs used when a message names none, listed on the MTA IPs page.</summary>
    IReadOnlyList<System.Net.IPAddress> DefaultIps { get; }

    /// <summary>Messages held back by a pause.</summary>
    int Parked { get; }

    /// <summary>Messages the engine holds now (taken from the queue, not yet finished).</summary>
    int Handling { get; }

    /// <summary>Outbound connections open now.</summary>
    int OpenConnections { get; }
}
