namespace MailerQ.Www.Core.Settings;

/// <summary>
/// A DKIM key (table <c>dkim_keys</c>, 4.4/mgmt-dkim.md): domain, selector, algorithm, the private key,
/// extra signed headers, expiry and priority (lower = its signature placed first). With no
/// <see cref="Patterns"/> it signs mail whose From domain is <see cref="Domain"/> (CONTRACT.md).
/// </summary>
internal sealed record DkimKey
{
    public const string RsaSha256 = "rsa-sha256";
    public const string Ed25519Sha256 = "ed25519-sha256";

    public long Id { get; init; }
    public required string Domain { get; init; }
    public required string Selector { get; init; }
    /// <summary><see cref="RsaSha256"/> or <see cref="Ed25519Sha256"/> (RFC 6376, RFC 8463).</summary>
    public string Algorithm { get; init; } = RsaSha256;
    public required string PrivateKeyPem { get; init; }
    /// <summary>Headers to sign besides the engine's default set; empty = the default set only.</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];
    public DateTimeOffset? Expire { get; init; }
    public int Priority { get; init; }
    public IReadOnlyList<DkimPattern> Patterns { get; init; } = [];
}
