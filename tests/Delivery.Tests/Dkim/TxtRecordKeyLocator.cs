using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace MailerQ.Www.Delivery.Tests.Dkim;

/// <summary>MimeKit's key locator fed with TXT record texts, parsed by MimeKit exactly as if they came from DNS.</summary>
internal sealed class TxtRecordKeyLocator(IReadOnlyDictionary<string, string> records) : DkimPublicKeyLocatorBase
{
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        GetPublicKey(records[$"{selector}._domainkey.{domain}"]);

    public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));

    /// <summary>Parses one record text (what the console shows) into the public key MimeKit would use.</summary>
    public static AsymmetricKeyParameter Parse(string txt) =>
        new TxtRecordKeyLocator(new Dictionary<string, string> { ["s._domainkey.d"] = txt }).LocatePublicKey("dns/txt", "d", "s");
}
