using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace MailerQ.Www.Smtp.Dkim;

/// <summary>
/// MimeKit's signer with <c>t=</c> taken from the caller's clock instead of the wall clock, so <c>t=</c>
/// and <c>x=</c> follow the engine's <see cref="TimeProvider"/> and tests are deterministic.
/// </summary>
internal sealed class ClockedDkimSigner(AsymmetricKeyParameter key, string domain, string selector, DkimSignatureAlgorithm algorithm, DateTimeOffset now)
    : DkimSigner(key, domain, selector, algorithm)
{
    protected override long GetTimestamp() => now.ToUnixTimeSeconds();
}
