using System.Buffers;
using System.Buffers.Text;
using MailerQ.Www.Http.Infrastructure;
using MailerQ.Www.Http.Parsing;

namespace MailerQ.Www.Http.Responses;

/// <summary>
/// Writes a response head (and a buffered body) straight into the connection's writer from static
/// byte spans, as Kestrel's Http1OutputProducer does: nothing is formatted into strings.
/// </summary>
internal static class ResponseWriter
{
    /// <summary>RFC 9110 §6.4.1: 1xx, 204 and 304 responses carry no content.</summary>
    public static bool BodyAllowed(int status) => status >= 200 && status != 204 && status != 304;

    /// <summary>Writes the status line, Date, Content-Type, Content-Length, Connection, the handler's
    /// headers and, unless the request was HEAD, the body is a file or <paramref name="writeBody"/> is false
    /// (the caller sends a large buffered body itself, straight to the stream), the buffered body.</summary>
    public static void Write(IBufferWriter<byte> w, HttpResponse response, HttpRequestHead request, bool keepAlive, ReadOnlySpan<byte> endpointHeaders = default, bool writeBody = true)
    {
        int status = response.StatusCode;
        var line = ReasonPhrases.StatusLine(status);
        if (line.IsEmpty)
        {
            w.Write("HTTP/1.1 "u8);
            WriteNumber(w, status);
            w.Write(" Status\r\n"u8);
        }
        else
        {
            w.Write(line);
        }
        w.Write("Date: "u8);
        w.Write(DateHeader.Value);
        w.Write("\r\n"u8);
        if (!response.ContentType.IsEmpty)
        {
            w.Write("Content-Type: "u8);
            w.Write(response.ContentType);
            w.Write("\r\n"u8);
        }
        bool bodyAllowed = BodyAllowed(status);
        if (bodyAllowed)
        {
            w.Write("Content-Length: "u8);
            WriteNumber(w, response.ContentLength);
            w.Write("\r\n"u8);
        }
        if (!keepAlive) w.Write("Connection: close\r\n"u8);
        else if (request.Version == HttpVersion.Http10) w.Write("Connection: keep-alive\r\n"u8);
        w.Write(endpointHeaders);
        w.Write(response.HeaderBytes);
        w.Write("\r\n"u8);
        if (writeBody && bodyAllowed && request.Method != HttpMethod.Head && response.FilePath is null)
            w.Write(response.BodyMemory.Span);
    }

    private static void WriteNumber(IBufferWriter<byte> w, long value)
    {
        var span = w.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out int n);
        w.Advance(n);
    }
}
