namespace MailerQ.Www.Auth.Radius;

/// <summary>Bounds of a RADIUS login attempt and of its packets.</summary>
internal static class RadiusLimits
{
    /// <summary>
    /// All hosts and retries together give up after this. CONTRACT.md "Mail": a login attempt gives up
    /// within 10 s in total; 1 s is left for the caller's own work.
    /// </summary>
    public static readonly TimeSpan AttemptBudget = TimeSpan.FromSeconds(9);

    /// <summary>Transmissions of one request to one host before the next host is tried.</summary>
    public const int TriesPerHost = 3;

    /// <summary>
    /// Longest wait for a reply to one transmission. RFC 5080 §2.2.1 suggests starting retransmissions
    /// after 2 s; with one host this gives 3 × 2 s = 6 s.
    /// </summary>
    public static readonly TimeSpan MaxTryTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Shortest wait per transmission when many hosts share the budget.</summary>
    public static readonly TimeSpan MinTryTimeout = TimeSpan.FromMilliseconds(250);

    /// <summary>Most hosts in one URL: 8 hosts × 3 tries still get 375 ms per try within the budget.</summary>
    public const int MaxHosts = 8;

    /// <summary>RFC 2865 §3: the maximum packet length is 4096 octets.</summary>
    public const int MaxPacketBytes = 4096;

    /// <summary>RFC 2865 §3: the minimum packet length is 20 octets (the header).</summary>
    public const int HeaderBytes = 20;

    /// <summary>RFC 2865 §5.1: a String attribute carries at most 253 octets.</summary>
    public const int MaxStringBytes = 253;

    /// <summary>RFC 2865 §5.2: the hidden password is at most 128 octets.</summary>
    public const int MaxPasswordBytes = 128;

    /// <summary>RFC 2865 §3: "the secret ... SHOULD be at least 16 octets"; shorter ones draw a warning.</summary>
    public const int RecommendedSecretBytes = 16;
}
