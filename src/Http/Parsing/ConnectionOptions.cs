namespace MailerQ.Www.Http.Parsing;

/// <summary>
/// The connection options we act on, collected from every <c>Connection</c> field line
/// (RFC 9110 §7.6.1; option names are case-insensitive). Other options name hop-by-hop fields and are ignored.
/// </summary>
[Flags]
internal enum ConnectionOptions : byte
{
    None = 0,
    Close = 1,
    KeepAlive = 2,
    Upgrade = 4,
}
