namespace MailerQ.Www.Auth.Radius;

/// <summary>RADIUS attribute types a login sends or checks (RFC 2865 §5, RFC 3162 §2.1, RFC 3579 §3.2).</summary>
internal enum RadiusAttributeType : byte
{
    UserName = 1,
    UserPassword = 2,
    NasIpAddress = 4,
    NasIdentifier = 32,
    MessageAuthenticator = 80,
    NasIpv6Address = 95,
}
