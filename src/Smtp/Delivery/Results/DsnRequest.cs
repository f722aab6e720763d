using System.Text.Json.Nodes;
using MailerQ.Www.Smtp.Delivery.Messages;

namespace MailerQ.Www.Smtp.Delivery.Results;

/// <summary>
/// What a message's <c>dsn</c> object asks for (json-messages.md: <c>notify</c>, <c>ret</c>, <c>orcpt</c>,
/// <c>envid</c>, as the SMTP DSN parameters of RFC 3461 carried them in), with <c>dsn-notify</c> / <c>dsn-ret</c>
/// filling what the message leaves out.
/// </summary>
internal sealed record DsnRequest(DsnNotify Notify, DsnReturn Return, string? OriginalRecipient, string? EnvelopeId)
{
    public static DsnRequest For(OutboxMessage message, DsnOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        var dsn = message.Dsn;
        var notify = dsn is null ? null : ParseNotify(dsn["notify"]);
        var ret = dsn is null ? null : ParseReturn(OutboxJson.String(dsn, "ret"));
        return new DsnRequest(
            notify ?? options.Notify,
            ret ?? options.Return,
            dsn is null ? null : Blank(OutboxJson.String(dsn, "orcpt")),
            dsn is null ? null : Blank(OutboxJson.String(dsn, "envid")));
    }

    public bool Wants(DsnAction action) => (Notify & DsnNotify.Never) == 0 && action switch
    {
        DsnAction.Failed => (Notify & DsnNotify.Failure) != 0,
        DsnAction.Delayed => (Notify & DsnNotify.Delay) != 0,
        _ => (Notify & DsnNotify.Success) != 0,
    };

    /// <summary>
    /// A comma list (<c>"SUCCESS,FAILURE"</c>, RFC 3461 syntax) or a JSON array of the words, any case; unknown words
    /// are ignored. Null when absent or holding no known word, so the default applies (RFC 3461 section 4.1: no
    /// NOTIFY leaves the choice to the MTA).
    /// </summary>
    public static DsnNotify? ParseNotify(JsonNode? node)
    {
        var words = new List<string>();
        switch (node)
        {
            case JsonValue v when v.TryGetValue(out string? text):
                words.AddRange(text.Split([',', ';', ' '], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is JsonValue iv && iv.TryGetValue(out string? word))
                        words.Add(word.Trim());
                }
                break;
            default:
                return null;
        }
        return ParseNotifyWords(words);
    }

    /// <summary>The same words as a list (the <c>dsn-notify</c> config value).</summary>
    public static DsnNotify? ParseNotifyWords(IEnumerable<string> words)
    {
        var notify = DsnNotify.None;
        bool any = false;
        foreach (var word in words)
        {
            var flag = word.ToUpperInvariant() switch
            {
                "NEVER" => DsnNotify.Never,
                "SUCCESS" => DsnNotify.Success,
                "FAILURE" => DsnNotify.Failure,
                "DELAY" => DsnNotify.Delay,
                _ => DsnNotify.None,
            };
            if (flag == DsnNotify.None)
                continue;
            notify |= flag;
            any = true;
        }
        return any ? notify : null;
    }

    public static DsnReturn? ParseReturn(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "FULL" => DsnReturn.Full,
        "HDRS" => DsnReturn.Headers,
        _ => null,
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
