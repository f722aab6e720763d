namespace MailerQ.Www.Auth.Ldap;

/// <summary>How the connection to the directory is protected.</summary>
internal enum LdapSecurity : byte
{
    /// <summary><c>ldap://</c>: plain TCP; the password crosses the network in clear text.</summary>
    None,
    /// <summary><c>ldaps://</c>: TLS from the first byte (port 636).</summary>
    Ldaps,
    /// <summary><c>ldap://…?starttls</c>: plain TCP, then the StartTLS operation (RFC 4511 §4.14) before the bind.</summary>
    StartTls,
}
