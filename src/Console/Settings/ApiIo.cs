using System.Globalization;
using System.Text.Json;
using MailerQ.Www.Core.Buffers;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Http;
using MailerQ.Www.Http.Responses;
using MailerQ.Www.Http.Routing;
using MailerQ.Www.Console.Auth;

namespace MailerQ.Www.Console.Settings;

/// <summary>Request and response plumbing shared by the settings routes: bodies, JSON answers, errors, time format.</summary>
internal static class ApiIo
{
    /// <summary>CONTRACT.md "HTTP": API bodies ≤ 1 MiB, else 413.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>Reads the body; null when the HTTP layer already answered (413, bad chunking).</summary>
    public static async ValueTask<PooledBufferWriter?> ReadBodyAsync(HttpContext context)
    {
        var body = new PooledBufferWriter(512);
        if (await context.ReadBodyAsync(body, MaxBodyBytes).ConfigureAwait(false) == BodyReadStatus.Ok) return body;
        body.Dispose();
        return null;
    }

    public static void Error(HttpResponse response, int status, string message)
    {
        response.Reset();
        response.StatusCode = status;
        response.SetContentType(HttpResponse.ApplicationJson);
        response.AddHeader("Cache-Control"u8, "no-store"u8);
        JsonText.WriteError(response.Body, message);
    }

    /// <summary>Starts a 200 JSON answer; the console never caches API responses (issue 9 point 4).</summary>
    public static Utf8JsonWriter Json(HttpResponse response, int status = 200)
    {
        response.StatusCode = status;
        response.SetContentType(HttpResponse.ApplicationJson);
        response.AddHeader("Cache-Control"u8, "no-store"u8);
        return new Utf8JsonWriter(response.Body);
    }

    public static void Deleted(HttpResponse response, int count)
    {
        if (count == 0)
        {
            Error(response, 404, "not found");
            return;
        }
        using var w = Json(response);
        w.WriteStartObject();
        w.WriteNumber("deleted"u8, count);
        w.WriteEndObject();
    }

    /// <summary>MailerQ's time format (5.13/json-messages.md): <c>YYYY-MM-DD HH:MM:SS</c>, UTC.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static void WriteOptional(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) w.WriteString(name, value);
    }

    /// <summary>Who made a change, for the log and the audit table.</summary>
    public static string UserOf(HttpContext context) => ConsoleAuth.UserOf(context) ?? "unknown";

    /// <summary>
    /// Wraps a settings handler so a refusal by the data answers 409 and a database failure 500 with a log line,
    /// instead of the connection closing without an answer.
    /// </summary>
    public static HttpHandler Guard(HttpHandler handler) => async context =>
    {
        try
        {
            await handler(context).ConfigureAwait(false);
        }
        catch (SettingsConflictException ex)
        {
            Conflict(context.Response, ex);
        }
        catch (SettingsUnavailableException ex)
        {
            // The database or the cluster broker is down (issue 11 point 6): say which, and that trying again later is right.
            Log.Warning("settings", "write refused", $"path={Log.Quote(System.Text.Encoding.ASCII.GetString(context.Request.Path))} reason={Log.Quote(ex.Message)}");
            Error(context.Response, 503, ex.Message);
        }
        catch (System.Data.Common.DbException ex) when (ex.IsTransient)
        {
            Error(context.Response, 503, "settings database unavailable: " + ex.Message);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or InvalidOperationException)
        {
            Log.Error("settings", "database error", $"path={Log.Quote(System.Text.Encoding.ASCII.GetString(context.Request.Path))} error={Log.Quote(ex.Message)}");
            Error(context.Response, 500, "settings database error");
        }
    };

    /// <summary>Maps a refusal by the data (duplicate, IP in another pool) to 409.</summary>
    public static void Conflict(HttpResponse response, SettingsConflictException ex) => Error(response, 409, ex.Message);

    /// <summary>
    /// Parses a request body that must be one JSON object (nesting bounded by <paramref name="maxDepth"/>); on failure
    /// <paramref name="error"/> is the 400 text the settings routes answer with. The caller disposes <paramref name="document"/>.
    /// </summary>
    public static bool TryParseObject(ReadOnlySpan<byte> json, int maxDepth, out JsonDocument document, out string error)
    {
        document = null!;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
            if (!JsonDocument.TryParseValue(ref reader, out var parsed))
            {
                error = "malformed JSON";
                return false;
            }
            if (parsed.RootElement.ValueKind != JsonValueKind.Object)
            {
                parsed.Dispose();
                error = "the body must be a JSON object";
                return false;
            }
            document = parsed;
            error = "";
            return true;
        }
        catch (JsonException)
        {
            error = "malformed JSON";
            return false;
        }
    }
}
