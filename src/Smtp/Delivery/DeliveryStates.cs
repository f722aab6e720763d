namespace MailerQ.Www.Smtp.Delivery;

/// <summary>
/// MailerQ's attempt states, in the order a delivery passes through them (5.13/json-results.md). A result
/// names the state in which the attempt ended; success is <see cref="Message"/> with result <c>accepted</c>.
/// </summary>
internal static class DeliveryStates
{
    public const string Process = "process";
    public const string Suppression = "suppression";
    public const string Storage = "storage";
    public const string Dns = "dns";
    public const string Bind = "bind";
    public const string Connect = "connect";
    public const string Intro = "intro";
    public const string Ehlo = "ehlo";
    public const string Helo = "helo";
    public const string StartTls = "starttls";
    public const string AuthPlain = "authplain";
    public const string AuthLogin = "authlogin";
    public const string MailFrom = "mailfrom";
    public const string RcptTo = "rcptto";
    public const string Data = "data";
    public const string Message = "message";
    public const string Idle = "idle";
    public const string Unknown = "unknown";
}

/// <summary>MailerQ's attempt results (5.13/json-results.md).</summary>
internal static class DeliveryResults
{
    public const string Accepted = "accepted";
    /// <summary>The peer did not answer in time (a "strange" result on the overview).</summary>
    public const string Timeout = "timeout";
    /// <summary>The connection broke mid-conversation (also "strange").</summary>
    public const string Lost = "lost";
    public const string Invalid = "invalid";
    public const string Error = "error";
}
