using System.Text.Json;
using MailerQ.Www.Smtp.Delivery.Messages;
using MimeKit;

namespace MailerQ.Www.Smtp.Delivery.Results;

/// <summary>
/// The result JSON's <c>extracted</c> object (5.13/json-results.md): <c>from</c>, <c>to[]</c> and <c>subject</c> from
/// the message header, every top-level header in <c>headers{}</c>, and the envelope and recipient split into
/// <c>{domain, local}</c>. Only the header block is parsed, and only up to <see cref="MaxHeaderBytes"/>.
/// </summary>
internal static class ExtractedFields
{
    /// <summary>Postfix's <c>header_size_limit</c> default (102400 bytes): more header than that is not mail worth reading.</summary>
    public const int MaxHeaderBytes = 102400;

    /// <summary>Cap on headers listed, so a message of thousands of tiny headers cannot bloat every result.</summary>
    public const int MaxHeaders = 1000;

    public static void Write(Utf8JsonWriter writer, OutboxMessage message)
    {
        var headers = ReadHeaders(message.Mime.Span);
        writer.WriteStartObject();
        var from = Addresses(headers, HeaderId.From);
        if (from.Count > 0)
            writer.WriteString("from", from[0]);
        else
            writer.WriteNull("from");
        writer.WriteStartArray("to");
        foreach (var address in Addresses(headers, HeaderId.To))
            writer.WriteStringValue(address);
        writer.WriteEndArray();
        if (headers?[HeaderId.Subject] is { } subject)
            writer.WriteString("subject", subject);
        else
            writer.WriteNull("subject");

        writer.WriteStartObject("headers");
        if (headers is not null)
            WriteHeaders(writer, headers);
        writer.WriteEndObject();

        WriteAddress(writer, "envelope", message.Envelope);
        WriteAddress(writer, "recipient", message.Recipient);
        writer.WriteEndObject();
    }

    /// <summary>Parses the header block at the start of <paramref name="mime"/>, or null when there is none to read.</summary>
    internal static HeaderList? ReadHeaders(ReadOnlySpan<byte> mime)
    {
        var block = HeaderBlock(mime);
        if (block.IsEmpty)
            return null;
        try
        {
            using var stream = new MemoryStream(block.ToArray(), writable: false);
            return HeaderList.Load(ParserOptions.Default, stream);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// The header lines at the start of <paramref name="mime"/>, with their last line break but without the blank
    /// line (CRLF or bare LF); cut at <see cref="MaxHeaderBytes"/> when no blank line comes before it.
    /// </summary>
    internal static ReadOnlySpan<byte> HeaderBlock(ReadOnlySpan<byte> mime)
    {
        var head = mime[..Math.Min(mime.Length, MaxHeaderBytes)];
        int crlf = head.IndexOf("\r\n\r\n"u8);
        int lf = head.IndexOf("\n\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf < lf))
            return head[..(crlf + 2)];
        if (lf >= 0)
            return head[..(lf + 1)];
        return head;
    }

    private static List<string> Addresses(HeaderList? headers, HeaderId id)
    {
        var result = new List<string>();
        if (headers is null)
            return result;
        foreach (var header in headers)
        {
            if (header.Id != id)
                continue;
            if (!InternetAddressList.TryParse(ParserOptions.Default, header.RawValue, out var list))
                continue;
            foreach (var mailbox in list.Mailboxes)
                result.Add(mailbox.Address);
        }
        return result;
    }

    /// <summary>Name → unfolded, decoded value; a name that repeats (Received) becomes an array, in order.</summary>
    private static void WriteHeaders(Utf8JsonWriter writer, HeaderList headers)
    {
        var byName = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        int count = 0;
        foreach (var header in headers)
        {
            if (++count > MaxHeaders)
                break;
            if (!byName.TryGetValue(header.Field, out var values))
            {
                values = [];
                byName.Add(header.Field, values);
                order.Add(header.Field);
            }
            values.Add(header.Value.Trim());
        }
        foreach (var name in order)
        {
            var values = byName[name];
            if (values.Count == 1)
            {
                writer.WriteString(name, values[0]);
                continue;
            }
            writer.WriteStartArray(name);
            foreach (var value in values)
                writer.WriteStringValue(value);
            writer.WriteEndArray();
        }
    }

    private static void WriteAddress(Utf8JsonWriter writer, string name, string address)
    {
        int at = address.LastIndexOf('@');
        writer.WriteStartObject(name);
        writer.WriteString("domain", at < 0 ? "" : address[(at + 1)..]);
        writer.WriteString("local", at < 0 ? address : address[..at]);
        writer.WriteEndObject();
    }
}
