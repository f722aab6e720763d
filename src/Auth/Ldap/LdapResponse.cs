namespace MailerQ.Www.Auth.Ldap;

/// <summary>
/// The parts of a BindResponse or ExtendedResponse (RFC 4511 §4.1.9 LDAPResult) that a login needs.
/// </summary>
/// <param name="MessageId">0 for an unsolicited notification (§4.4), else the request's id.</param>
/// <param name="Operation">The protocolOp tag, <see cref="LdapTag.BindResponse"/> or <see cref="LdapTag.ExtendedResponse"/>.</param>
/// <param name="ResultCode">The LDAPResult resultCode (§4.1.9, Appendix A).</param>
/// <param name="DiagnosticMessage">The server's text, cut to <see cref="LdapLimits.MaxDiagnosticChars"/>; for logs only.</param>
/// <param name="ResponseName">ExtendedResponse responseName, when present.</param>
internal readonly record struct LdapResponse(int MessageId, byte Operation, int ResultCode, string DiagnosticMessage, string? ResponseName);
