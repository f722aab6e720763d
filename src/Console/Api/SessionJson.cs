using System.Globalization;
using System.Net;
using System.Text.Json;
using MailerQ.Www.Core.Sessions;

namespace MailerQ.Www.Console.Api;

/// <summary>
/// The console API's JSON for SMTP sessions, with CONTRACT.md's field names: the list for
/// <c>GET /api/smtp/sessions?limit=N</c> and the transcript for <c>GET /api/smtp/sessions/{id}</c>.
/// Written with <see cref="Utf8JsonWriter"/> (no reflection, NativeAOT-safe).
/// </summary>
internal static class SessionJson
{
    /// <summary><c>[{"id","direction","peer","started","state","from","rcpts","size","messageId"}]</c>, newest first.</summary>
    public static void WriteList(Utf8JsonWriter writer, RecentSessions sessions, int limit)
    {
        writer.WriteStartArray();
        foreach (var record in sessions.Latest(Math.Max(0, limit)))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", record.Id);
            writer.WriteString("direction", record.Direction);
            writer.WriteString("peer", Format(record.Peer));
            writer.WriteString("started", record.Started.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("state", record.State);
            if (record.From is { } from) writer.WriteString("from", from);
            else writer.WriteNull("from");
            writer.WriteStartArray("rcpts");
            foreach (var rcpt in record.Recipients) writer.WriteStringValue(rcpt);
            writer.WriteEndArray();
            writer.WriteNumber("size", record.Size);
            if (record.MessageId is { } id) writer.WriteString("messageId", id);
            else writer.WriteNull("messageId");
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary><c>[{"t":ms,"dir":"c"|"s","line":"…"}]</c>.</summary>
    public static void WriteTranscript(Utf8JsonWriter writer, SessionRecord record)
    {
        writer.WriteStartArray();
        foreach (var line in record.Transcript)
        {
            writer.WriteStartObject();
            writer.WriteNumber("t", line.T);
            writer.WriteString("dir", line.Dir == 'c' ? "c" : "s");
            writer.WriteString("line", line.Line);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static string Format(IPEndPoint? peer) => peer is null ? "" : peer.ToString();
}
