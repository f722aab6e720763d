namespace MailerQ.Www.Smtp.Dkim;

/// <summary>
/// One key to sign with (a database key that matched, or one entry of the message's <c>dkim</c> property).
/// </summary>
/// <param name="Algorithm"><c>rsa-sha256</c> or <c>ed25519-sha256</c>; must match the key type.</param>
/// <param name="PrivateKeyPem">PKCS#1 (RSA) or PKCS#8 (RSA, Ed25519) PEM, unencrypted.</param>
/// <param name="Headers">Header fields to sign besides From and the <see cref="MessageDkimSigner.DefaultHeaders"/> present (MailerQ's "additional signed headers"); null = none.</param>
/// <param name="Expire">Signatures carry <c>x=</c> this time; at or after it the key is not used at all.</param>
/// <param name="Priority">Lower values are placed higher in the header (MailerQ: "lower = signature placed first").</param>
/// <param name="Canonicalization"><c>header/body</c>, each <c>simple</c> or <c>relaxed</c>; one word = header, body simple (RFC 6376 section 3.5).</param>
internal sealed record DkimSigningKey(
    string Domain,
    string Selector,
    string Algorithm,
    string PrivateKeyPem,
    IReadOnlyList<string>? Headers,
    DateTimeOffset? Expire,
    int Priority,
    string Canonicalization = "relaxed/relaxed");
