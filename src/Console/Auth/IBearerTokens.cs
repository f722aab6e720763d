namespace MailerQ.Www.Console.Auth;

/// <summary>Checks a REST API token (the settings snapshot's stored SHA-256 hashes).</summary>
internal interface IBearerTokens
{
    /// <summary>True with the token's name when <paramref name="token"/> is a current token.</summary>
    bool TryVerify(ReadOnlySpan<byte> token, out string name);
}
