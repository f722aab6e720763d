using System.Text.Json;
using MimeKit;

namespace MailerQ.Www.Console.Render;

/// <summary>
/// <c>GET /api/messages/{id}/structure</c>: the message view's Headers tab — the top-level headers (decoded, as
/// MimeKit unfolds them and undoes RFC 2047) and the MIME tree as MimeKit parsed it.
/// </summary>
/// <remarks>
/// Shape: <c>{"id","size","headers":[{"name","value"}],"hasHtml","structure":PART}</c> where PART is
/// <c>{"contentType","mediaType","charset","encoding","contentId","disposition","fileName","size","parts":[PART]}</c>
/// (<c>size</c>: encoded bytes of a leaf, null for containers; <c>parts</c> only on multiparts and attached messages).
/// </remarks>
internal static class MessageStructureJson
{
    /// <summary>Deeper trees are cut (MIME nesting is attacker-chosen; the page needs no more).</summary>
    private const int MaxDepth = 32;

    /// <summary>Headers listed at most (a message can carry thousands of Received lines).</summary>
    private const int MaxHeaders = 500;

    /// <summary>Parts listed at most across the whole tree.</summary>
    private const int MaxParts = 1000;

    /// <summary>RFC 2045 tspecials and space: a parameter value holding one is shown quoted.</summary>
    private static readonly System.Buffers.SearchValues<char> Tspecials = System.Buffers.SearchValues.Create(" ()<>@,;:\\\"/[]?=");

    public static void Write(Utf8JsonWriter writer, string id, int rawSize, MimeMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, id);
        writer.WriteNumber("size"u8, rawSize);
        writer.WriteStartArray("headers"u8);
        int headers = 0;
        foreach (var header in message.Headers)
        {
            if (headers++ >= MaxHeaders) break;
            writer.WriteStartObject();
            writer.WriteString("name"u8, header.Field);
            writer.WriteString("value"u8, header.Value);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteBoolean("hasHtml"u8, message.HtmlBody is not null);
        writer.WritePropertyName("structure"u8);
        int budget = MaxParts;
        if (message.Body is { } body) WritePart(writer, body, 0, ref budget);
        else writer.WriteNullValue();
        writer.WriteEndObject();
    }

    private static void WritePart(Utf8JsonWriter writer, MimeEntity entity, int depth, ref int budget)
    {
        budget--;
        var type = entity.ContentType;
        writer.WriteStartObject();
        writer.WriteString("contentType"u8, HeaderValue(type));
        writer.WriteString("mediaType"u8, type.MimeType.ToLowerInvariant());
        Nullable(writer, "charset"u8, type.Charset);
        Nullable(writer, "encoding"u8, entity is MimePart p && p.ContentTransferEncoding != ContentEncoding.Default
            ? p.ContentTransferEncoding.ToString().ToLowerInvariant() : null);
        Nullable(writer, "contentId"u8, entity.ContentId);
        Nullable(writer, "disposition"u8, entity.ContentDisposition?.Disposition);
        Nullable(writer, "fileName"u8, entity.ContentDisposition?.FileName ?? type.Name);
        if (entity is MimePart leaf && EncodedSize(leaf) is long size) writer.WriteNumber("size"u8, size);
        else writer.WriteNull("size"u8);

        IEnumerable<MimeEntity>? children = entity switch
        {
            Multipart multipart => multipart,
            MessagePart { Message.Body: { } inner } => [inner],
            _ => null,
        };
        if (children is not null)
        {
            writer.WriteStartArray("parts"u8);
            if (depth < MaxDepth)
            {
                foreach (var child in children)
                {
                    if (budget <= 0) break;
                    WritePart(writer, child, depth + 1, ref budget);
                }
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    /// <summary><c>type/subtype; name=value…</c>, parameters decoded, as a person reads it.</summary>
    private static string HeaderValue(ContentType type)
    {
        var sb = new System.Text.StringBuilder(type.MimeType);
        foreach (var parameter in type.Parameters)
        {
            sb.Append("; ").Append(parameter.Name).Append('=');
            bool quote = parameter.Value.AsSpan().IndexOfAny(Tspecials) >= 0 || parameter.Value.Length == 0;
            if (quote) sb.Append('"').Append(parameter.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
            else sb.Append(parameter.Value);
        }
        return sb.ToString();
    }

    private static long? EncodedSize(MimePart part)
    {
        try
        {
            return part.Content?.Stream is { CanSeek: true } stream ? stream.Length : null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static void Nullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (string.IsNullOrEmpty(value)) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }
}
