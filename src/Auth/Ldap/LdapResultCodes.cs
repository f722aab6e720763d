namespace MailerQ.Www.Auth.Ldap;

/// <summary>
/// LDAPResult codes a bind can return (RFC 4511 Appendix A) and how a login reads them. Codes that say
/// "not this user with this password" reject; everything else (server busy, protocol or configuration
/// trouble such as a bad base DN) is an error the operator should see.
/// </summary>
internal static class LdapResultCodes
{
    public const int Success = 0;
    public const int OperationsError = 1;
    public const int ProtocolError = 2;
    public const int InvalidDnSyntax = 34;
    public const int InappropriateAuthentication = 48;
    public const int InvalidCredentials = 49;
    public const int InsufficientAccessRights = 50;
    public const int Busy = 51;
    public const int Unavailable = 52;
    public const int UnwillingToPerform = 53;

    /// <summary>The login outcome for a BindResponse result code.</summary>
    public static AuthOutcome ToOutcome(int code) => code switch
    {
        Success => AuthOutcome.Accepted,
        // 49: wrong password or no such entry (servers answer both the same, §4.2.2 allows it).
        // 48: the server refuses this kind of bind for the entry; 50: the entry may not bind;
        // 53: e.g. a locked or expired account, or a server that refuses the empty password itself.
        InvalidCredentials or InappropriateAuthentication or InsufficientAccessRights or UnwillingToPerform => AuthOutcome.Rejected,
        _ => AuthOutcome.Error,
    };

    /// <summary>The RFC 4511 name of a code, for the log.</summary>
    public static string Name(int code) => code switch
    {
        Success => "success",
        OperationsError => "operationsError",
        ProtocolError => "protocolError",
        3 => "timeLimitExceeded",
        7 => "authMethodNotSupported",
        8 => "strongerAuthRequired",
        10 => "referral",
        13 => "confidentialityRequired",
        14 => "saslBindInProgress",
        32 => "noSuchObject",
        InvalidDnSyntax => "invalidDNSyntax",
        InappropriateAuthentication => "inappropriateAuthentication",
        InvalidCredentials => "invalidCredentials",
        InsufficientAccessRights => "insufficientAccessRights",
        Busy => "busy",
        Unavailable => "unavailable",
        UnwillingToPerform => "unwillingToPerform",
        80 => "other",
        _ => "code" + code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
