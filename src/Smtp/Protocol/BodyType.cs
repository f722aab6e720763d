namespace MailerQ.Www.Smtp.Protocol;

/// <summary>MAIL's BODY= parameter (RFC 6152).</summary>
internal enum BodyType
{
    SevenBit,
    EightBitMime,
}
