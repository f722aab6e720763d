namespace MailerQ.Www.Smtp.Sessions;

/// <summary>Where a SASL exchange is (RFC 4954; PLAIN RFC 4616; LOGIN draft-murchison-sasl-login).</summary>
internal enum AuthStep
{
    None,
    PlainResponse,
    LoginUser,
    LoginPassword,
}
