using System.Text.Json;
using MailerQ.Www.Http;
using MailerQ.Www.Http.Responses;
using MailerQ.Www.Console.Auth;

namespace MailerQ.Www.Console.Api;

/// <summary>
/// How the console API answers: JSON written with <see cref="Utf8JsonWriter"/> straight into the response
/// body (no reflection, NativeAOT-safe), never cached (contract: the console never caches API responses).
/// One writer per thread is reset onto each response, so a request allocates no writer.
/// </summary>
internal static class ApiJson
{
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Starts a JSON response; dispose (or flush) the writer before the handler returns.</summary>
    public static Utf8JsonWriter Begin(HttpContext context, int status = 200)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.SetContentType(HttpResponse.ApplicationJson);
        NoStore(response);
        var writer = t_writer;
        if (writer is null) t_writer = writer = new Utf8JsonWriter(response.Body);
        else writer.Reset(response.Body);
        return writer;
    }

    /// <summary>Ends what <see cref="Begin"/> started: flushes into the body and lets go of it.</summary>
    public static void End(Utf8JsonWriter writer)
    {
        writer.Flush();
        writer.Reset(Stream.Null);
    }

    /// <summary><c>{"error":"…"}</c> with a status.</summary>
    public static void Error(HttpContext context, int status, string error)
    {
        context.Response.Reset();
        context.Response.StatusCode = status;
        context.Response.SetContentType(HttpResponse.ApplicationJson);
        NoStore(context.Response);
        JsonText.WriteError(context.Response.Body, error);
    }

    public static void NoStore(HttpResponse response) => response.AddHeader("Cache-Control"u8, "no-store"u8);
}
