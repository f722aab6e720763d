namespace MailerQ.Www.Http.WebSockets;

/// <summary>
/// A parsed client message: <c>{"subscribe":"stats"|"smtp"}</c> (smtp optionally with
/// <c>"direction":"in"|"out"</c> and <c>"peer"</c>) or <c>{"unsubscribe":"stats"|"smtp"}</c>.
/// </summary>
internal readonly record struct WebSocketCommand(bool Subscribe, WebSocketChannel Channel, bool? Outbound, string? Peer);
