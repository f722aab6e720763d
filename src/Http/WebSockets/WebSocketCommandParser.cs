using System.Text.Json;

namespace MailerQ.Www.Http.WebSockets;

/// <summary>
/// Parses the client's JSON text messages with <see cref="Utf8JsonReader"/> (no serializer, nothing to
/// trim). Bad input is a value: the error reply to send, never an exception.
/// </summary>
internal static class WebSocketCommandParser
{
    /// <summary>Longest <c>peer</c> accepted: a DNS name is at most 255 octets (RFC 1035 §2.3.4); addresses are shorter.</summary>
    public const int MaxPeerBytes = 255;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = 4 };

    public static bool TryParse(ReadOnlySpan<byte> json, out WebSocketCommand command, out byte[] error)
    {
        command = default;
        error = WebSocketReplies.Malformed;
        bool? subscribe = null;
        WebSocketChannel channel = default;
        bool? outbound = null;
        string? peer = null;
        bool hasDirection = false;
        try
        {
            var reader = new Utf8JsonReader(json, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("subscribe"u8) || reader.ValueTextEquals("unsubscribe"u8))
                {
                    bool isSubscribe = reader.ValueTextEquals("subscribe"u8);
                    if (subscribe is not null) return Error(WebSocketReplies.DuplicateField, out error);
                    subscribe = isSubscribe;
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String) return Error(WebSocketReplies.UnknownChannel, out error);
                    if (reader.ValueTextEquals("stats"u8)) channel = WebSocketChannel.Stats;
                    else if (reader.ValueTextEquals("smtp"u8)) channel = WebSocketChannel.Smtp;
                    else return Error(WebSocketReplies.UnknownChannel, out error);
                }
                else if (reader.ValueTextEquals("direction"u8))
                {
                    if (hasDirection) return Error(WebSocketReplies.DuplicateField, out error);
                    hasDirection = true;
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String) return Error(WebSocketReplies.BadDirection, out error);
                    if (reader.ValueTextEquals("in"u8)) outbound = false;
                    else if (reader.ValueTextEquals("out"u8)) outbound = true;
                    else return Error(WebSocketReplies.BadDirection, out error);
                }
                else if (reader.ValueTextEquals("peer"u8))
                {
                    if (peer is not null) return Error(WebSocketReplies.DuplicateField, out error);
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > MaxPeerBytes)
                        return Error(WebSocketReplies.BadPeer, out error);
                    peer = reader.GetString() ?? "";
                }
                else
                {
                    return Error(WebSocketReplies.UnknownField, out error);
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return false;
        }
        catch (JsonException)
        {
            return false;
        }
        if (subscribe is not bool isSub) return Error(WebSocketReplies.MissingCommand, out error);
        if ((hasDirection || peer is not null) && !(isSub && channel == WebSocketChannel.Smtp))
            return Error(WebSocketReplies.FilterWithoutSmtp, out error);
        command = new WebSocketCommand(isSub, channel, outbound, string.IsNullOrEmpty(peer) ? null : peer);
        error = [];
        return true;
    }

    private static bool Error(byte[] reply, out byte[] error)
    {
        error = reply;
        return false;
    }
}
