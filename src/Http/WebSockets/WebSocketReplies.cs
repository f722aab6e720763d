namespace MailerQ.Www.Http.WebSockets;

/// <summary>Every text reply the server sends besides stats, as fixed bytes (docs/ws-protocol.md lists them).</summary>
internal static class WebSocketReplies
{
    public static readonly byte[] SubscribedStats = """{"subscribed":"stats"}"""u8.ToArray();
    public static readonly byte[] SubscribedSmtp = """{"subscribed":"smtp"}"""u8.ToArray();
    public static readonly byte[] UnsubscribedStats = """{"unsubscribed":"stats"}"""u8.ToArray();
    public static readonly byte[] UnsubscribedSmtp = """{"unsubscribed":"smtp"}"""u8.ToArray();

    public static readonly byte[] Malformed = """{"error":"malformed message: expected a JSON object"}"""u8.ToArray();
    public static readonly byte[] MissingCommand = """{"error":"expected \"subscribe\" or \"unsubscribe\""}"""u8.ToArray();
    public static readonly byte[] UnknownChannel = """{"error":"unknown channel: expected \"stats\" or \"smtp\""}"""u8.ToArray();
    public static readonly byte[] UnknownField = """{"error":"unknown field"}"""u8.ToArray();
    public static readonly byte[] DuplicateField = """{"error":"duplicate field"}"""u8.ToArray();
    public static readonly byte[] BadDirection = """{"error":"direction must be \"in\" or \"out\""}"""u8.ToArray();
    public static readonly byte[] BadPeer = """{"error":"peer must be a string of at most 255 bytes"}"""u8.ToArray();
    public static readonly byte[] FilterWithoutSmtp = """{"error":"direction and peer apply to {\"subscribe\":\"smtp\"} only"}"""u8.ToArray();
    public static readonly byte[] TooLong = """{"error":"message too long for a command"}"""u8.ToArray();
    public static readonly byte[] Binary = """{"error":"binary messages are not accepted"}"""u8.ToArray();
    public static readonly byte[] TraceUnavailable = """{"error":"smtp trace is not available"}"""u8.ToArray();
}
