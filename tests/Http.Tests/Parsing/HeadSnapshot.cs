using System.Text;
using MailerQ.Www.Http.Parsing;

namespace MailerQ.Www.Http.Tests.Parsing;

/// <summary>Everything a parsed head exposes, as comparable values.</summary>
internal sealed record HeadSnapshot(
    HttpMethod Method,
    string MethodBytes,
    HttpVersion Version,
    RequestTargetForm Form,
    string Target,
    string Path,
    string Query,
    bool HasQuery,
    string Authority,
    string Host,
    string Headers,
    int HeaderCount,
    long ContentLength,
    bool IsChunked,
    bool Expect100Continue,
    ConnectionOptions Connection,
    bool KeepAlive)
{
    public static HeadSnapshot From(HttpRequestHead head)
    {
        var headers = new StringBuilder();
        for (int i = 0; i < head.HeaderCount; i++)
            headers.Append(Sequences.Text(head.HeaderName(i))).Append(": ").Append(Sequences.Text(head.HeaderValue(i))).Append('\n');
        return new HeadSnapshot(
            head.Method,
            Sequences.Text(head.MethodBytes),
            head.Version,
            head.TargetForm,
            Sequences.Text(head.Target),
            Sequences.Text(head.Path),
            Sequences.Text(head.Query),
            head.HasQuery,
            Sequences.Text(head.Authority),
            Sequences.Text(head.Host),
            headers.ToString(),
            head.HeaderCount,
            head.ContentLength,
            head.IsChunked,
            head.Expect100Continue,
            head.Connection,
            head.KeepAlive);
    }
}
