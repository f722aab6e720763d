using System.Buffers.Text;
using MailerQ.Www.Http;
using MailerQ.Www.Core.Sessions;

namespace MailerQ.Www.Console.Api;

/// <summary>
/// <c>GET /api/smtp/sessions?limit=N</c> (recent inbound sessions, newest first) and
/// <c>GET /api/smtp/sessions/{id}</c> (one session's transcript), from the SMTP server's
/// <see cref="RecentSessions"/>, in CONTRACT.md's shapes (<see cref="SessionJson"/>).
/// </summary>
internal sealed class SessionsEndpoint(ConsoleServices services)
{
    /// <summary>A console page's worth when the client names no limit.</summary>
    private const int DefaultLimit = 100;

    /// <summary>More than the store ever keeps (<see cref="RecentSessions.DefaultMaxSessions"/>); larger asks are typos.</summary>
    private const int MaxLimit = 10_000;

    public ValueTask ListAsync(HttpContext context)
    {
        var sessions = services.Sessions;
        if (!QueryString.TryGetInt(context.Request.Query, "limit"u8, DefaultLimit, 0, MaxLimit, out int limit))
        {
            ApiJson.Error(context, 400, "limit must be a whole number from 0 to 10000");
            return ValueTask.CompletedTask;
        }
        var writer = ApiJson.Begin(context);
        SessionJson.WriteList(writer, sessions, limit);
        ApiJson.End(writer);
        return ValueTask.CompletedTask;
    }

    /// <summary><c>/api/smtp/sessions/{id}</c>: the id is the decimal session number of the list.</summary>
    public ValueTask TranscriptAsync(HttpContext context)
    {
        var rest = context.RouteRemainder;
        if (rest.IsEmpty || rest.Length > 18 || rest.ContainsAnyExceptInRange((byte)'0', (byte)'9')
            || !Utf8Parser.TryParse(rest, out long id, out int consumed) || consumed != rest.Length)
        {
            ApiJson.Error(context, 404, "no such session");
            return ValueTask.CompletedTask;
        }
        var record = services.Sessions.Find(id);
        if (record is null)
        {
            ApiJson.Error(context, 404, "no such session");
            return ValueTask.CompletedTask;
        }
        var writer = ApiJson.Begin(context);
        SessionJson.WriteTranscript(writer, record);
        ApiJson.End(writer);
        return ValueTask.CompletedTask;
    }
}
