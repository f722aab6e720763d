namespace MailerQ.Www.Core.Dkim;

/// <summary>The <c>a=</c> values we sign with (RFC 6376 section 3.3, RFC 8463) and their key types (<c>k=</c>).</summary>
internal static class DkimAlgorithms
{
    public const string RsaSha256 = "rsa-sha256";
    public const string Ed25519Sha256 = "ed25519-sha256";

    public const string RsaKeyType = "rsa";
    public const string Ed25519KeyType = "ed25519";
}
