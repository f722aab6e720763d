using System.Diagnostics.CodeAnalysis;

namespace MailerQ.Www.Auth.Ldap;

/// <summary>Builds the I/O faults of an LDAP exchange; the backend maps them to <see cref="AuthOutcome.Error"/>.</summary>
internal static class LdapThrowHelper
{
    [DoesNotReturn]
    public static void ThrowProtocol(string message) => throw new InvalidDataException(message);

    [DoesNotReturn]
    public static void ThrowClosed() => throw new IOException("the server closed the connection");
}
