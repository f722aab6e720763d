namespace MailerQ.Www.Auth.Radius;

/// <summary>RADIUS packet codes used by a login (RFC 2865 §3).</summary>
internal enum RadiusCode : byte
{
    AccessRequest = 1,
    AccessAccept = 2,
    AccessReject = 3,
    AccessChallenge = 11,
}
