namespace MailerQ.Www.Console.Cluster;

/// <summary>Why a switch token is refused (logged; the browser sees one answer for all).</summary>
internal enum SwitchTokenCheck
{
    Ok,
    Malformed,
    BadSignature,
    Expired,
    /// <summary>Signed for another instance.</summary>
    WrongInstance,
    /// <summary>Already used once.</summary>
    Replayed,
}
