using System.Buffers;
using MailerQ.Www.Http.Tests.Parsing;
using MailerQ.Www.Http.WebSockets;

namespace MailerQ.Www.Http.Tests.WebSockets;

/// <summary>
/// Feeds bytes to a <see cref="WebSocketFrameReader"/> the way the session's read loop does with a pipe:
/// whatever the reader did not consume is handed back together with the next piece.
/// </summary>
internal static class FrameFeeder
{
    public static List<string> Feed(byte[] data, params int[] cuts)
    {
        using var reader = new WebSocketFrameReader();
        var events = new List<string>();
        int consumed = 0;
        int previousCut = 0;
        foreach (int cut in cuts.Append(data.Length))
        {
            while (true)
            {
                // What the pipe would hold: the unconsumed rest of the last read in one segment, the new read in another.
                var slice = data[consumed..cut];
                int leftover = previousCut - consumed;
                var sequence = leftover > 0 && leftover < slice.Length ? Sequences.Split(slice, leftover) : Sequences.Split(slice);
                var sr = new SequenceReader<byte>(sequence);
                var result = reader.Read(ref sr);
                consumed += (int)sr.Consumed;
                if (result.Status == WebSocketReadStatus.NeedMore) break;
                events.Add(Describe(reader, result));
                if (result.Status == WebSocketReadStatus.Error) return events;
            }
            previousCut = cut;
        }
        return events;
    }

    public static string Describe(WebSocketFrameReader reader, WebSocketReadResult result) => result.Status switch
    {
        WebSocketReadStatus.Message when result.Opcode == WebSocketOpcode.Text =>
            $"text:{System.Text.Encoding.UTF8.GetString(reader.Message)}{(reader.MessageTruncated ? "…" : "")}({reader.MessageLength})",
        WebSocketReadStatus.Message => $"binary({reader.MessageLength})",
        WebSocketReadStatus.Control when result.Opcode == WebSocketOpcode.Close => $"close:{(int)reader.ReceivedCloseCode}",
        WebSocketReadStatus.Control => $"{result.Opcode.ToString().ToLowerInvariant()}:{Convert.ToHexString(reader.ControlPayload)}",
        _ => $"error:{(int)result.CloseCode}",
    };
}
