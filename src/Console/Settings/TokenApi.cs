using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Http;
using MailerQ.Www.Http.Parsing;
using MailerQ.Www.Http.Routing;

namespace MailerQ.Www.Console.Settings;

/// <summary>
/// "REST API tokens" (CONTRACT.md "Console API"): <c>GET /api/tokens</c> lists names and creation times,
/// <c>POST /api/tokens {"name"}</c> answers <c>{"name","token"}</c> once (256 random bits, base64url; only its
/// SHA-256 is stored), <c>DELETE /api/tokens/{name}</c> revokes it, effective before the answer.
/// </summary>
internal sealed class TokenApi
{
    private const int TokenBytes = 32;

    private readonly SettingsCache _settings;
    private readonly TimeProvider _time;

    public TokenApi(SettingsCache settings, TimeProvider? time = null)
    {
        _settings = settings;
        _time = time ?? TimeProvider.System;
    }

    public void Map(Router router)
    {
        router.Map(HttpMethod.Get, "/api/tokens", ApiIo.Guard(List));
        router.Map(HttpMethod.Post, "/api/tokens", ApiIo.Guard(CreateAsync));
        router.MapPrefix(HttpMethod.Delete, "/api/tokens/", ApiIo.Guard(DeleteAsync));
    }

    private ValueTask List(HttpContext context)
    {
        using var w = ApiIo.Json(context.Response);
        w.WriteStartArray();
        foreach (var t in _settings.Current.Data.Tokens)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, t.Name);
            w.WriteString("created"u8, ApiIo.FormatTime(t.Created));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        return ValueTask.CompletedTask;
    }

    private async ValueTask CreateAsync(HttpContext context)
    {
        string? name;
        using (var body = await ApiIo.ReadBodyAsync(context).ConfigureAwait(false))
        {
            if (body is null) return;
            if (!RequestFields.TryParseJson(body.WrittenSpan, out var fields, out var error))
            {
                ApiIo.Error(context.Response, 400, error);
                return;
            }
            name = fields.Text("name");
        }
        if (name is null || !Selectors.IsPoolName(name))
        {
            ApiIo.Error(context.Response, 400, "name is required: 1 to 64 letters, digits, '-', '_' or '.'");
            return;
        }

        // Arrays, not stack buffers: the token lives across the database write. Cleared once answered.
        byte[] secret = RandomNumberGenerator.GetBytes(TokenBytes);
        byte[] encoded = new byte[Base64Url.GetEncodedLength(TokenBytes)];
        Base64Url.EncodeToUtf8(secret, encoded);
        CryptographicOperations.ZeroMemory(secret);
        var token = new ApiToken(name, SHA256.HashData(encoded), _time.GetUtcNow());
        var user = ApiIo.UserOf(context);
        try
        {
            await _settings.WriteAsync(async (s, ct) =>
            {
                await s.AddTokenAsync(token, user, ct).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
        }
        catch (SettingsConflictException ex)
        {
            CryptographicOperations.ZeroMemory(encoded);
            ApiIo.Conflict(context.Response, ex);
            return;
        }
        Log.Info("settings", "api token created", $"user={Log.Quote(user)} name={name}");
        context.Response.AddHeader("Cache-Control"u8, "no-store"u8);
        using var w = new Utf8JsonWriter(context.Response.Body);
        context.Response.SetContentType(Http.Responses.HttpResponse.ApplicationJson);
        w.WriteStartObject();
        w.WriteString("name"u8, name);
        w.WriteString("token"u8, encoded);
        w.WriteEndObject();
        w.Flush();
        CryptographicOperations.ZeroMemory(encoded);
    }

    private async ValueTask DeleteAsync(HttpContext context)
    {
        if (!FormUrlEncoded.TryDecode(context.RouteRemainder, out var name) || name.Length == 0)
        {
            ApiIo.Error(context.Response, 404, "not found");
            return;
        }
        var user = ApiIo.UserOf(context);
        bool found = await _settings.WriteAsync((s, ct) => s.DeleteTokenAsync(name, user, ct)).ConfigureAwait(false);
        Log.Info("settings", "api token revoked", $"user={Log.Quote(user)} name={Log.Quote(name)} found={found}");
        ApiIo.Deleted(context.Response, found ? 1 : 0);
    }
}
