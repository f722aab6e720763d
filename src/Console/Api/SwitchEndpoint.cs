using System.Text;
using System.Text.Json;
using MailerQ.Www.Core.Buffers;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Console.Cluster;
using MailerQ.Www.Console.Auth;
using MailerQ.Www.Http;

namespace MailerQ.Www.Console.Api;

/// <summary>
/// Switching consoles (issue 11 point 4). <c>POST /api/cluster/switch {"id"}</c> on the instance the operator is logged
/// in to answers <c>{"url"}</c>: the other instance's <c>/cluster/enter?token=…</c> with a <see cref="SwitchToken"/> for
/// this user and that instance. <c>GET /cluster/enter?token=…</c> on the target (outside <c>/api/</c>: it is how a
/// browser without a session arrives) checks the token, spends it, starts a session there and redirects to <c>/</c>.
/// Every refusal is the same 403; the log says why.
/// </summary>
internal sealed class SwitchEndpoint(ConsoleServices services, ConsoleAuth auth)
{
    private const long MaxBodyBytes = 4096;

    public async ValueTask SwitchAsync(HttpContext context)
    {
        if (services.Cluster is not { Clustered: true } cluster)
        {
            ApiJson.Error(context, 409, "no cluster is configured");
            return;
        }
        string? user = context.Principal switch
        {
            MailerQ.Www.Auth.Sessions.Session s => s.User,
            MailerQ.Www.Auth.Sessions.CachedLogin b => b.User,
            _ => null,
        };
        if (user is null)
        {
            ApiJson.Error(context, 403, "only a console login can switch instances");
            return;
        }
        using var body = new PooledBufferWriter(256);
        if (await context.ReadBodyAsync(body, MaxBodyBytes).ConfigureAwait(false) != BodyReadStatus.Ok) return;
        string? id = null;
        try
        {
            using var json = JsonDocument.Parse(body.WrittenMemory);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("id", out var e) && e.ValueKind == JsonValueKind.String)
                id = e.GetString();
        }
        catch (JsonException)
        {
        }
        if (string.IsNullOrEmpty(id))
        {
            ApiJson.Error(context, 400, "expected {\"id\":\"<instance id>\"}");
            return;
        }
        var peer = id == cluster.Id ? null : cluster.Others().FirstOrDefault(p => p.Id == id);
        if (peer is null)
        {
            ApiJson.Error(context, 404, "no such other instance");
            return;
        }
        if (peer.Stale)
        {
            ApiJson.Error(context, 409, "that instance has stopped announcing itself");
            return;
        }
        byte[] key;
        try
        {
            key = await cluster.SwitchKeyAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException or InvalidOperationException)
        {
            ApiJson.Error(context, 503, "settings database unavailable: " + ex.Message);
            return;
        }
        var token = SwitchToken.Create(key, user, id, services.Time.GetUtcNow());
        Log.Info("cluster", "switch token issued", $"user={Log.Quote(user)} target={Log.Quote(id)}");
        var w = ApiJson.Begin(context);
        w.WriteStartObject();
        w.WriteString("url"u8, peer.Url.TrimEnd('/') + "/cluster/enter?token=" + token);
        w.WriteNumber("expiresIn"u8, (int)SwitchToken.Lifetime.TotalSeconds);
        w.WriteEndObject();
        ApiJson.End(w);
    }

    public async ValueTask EnterAsync(HttpContext context)
    {
        if (services.Cluster is not { } cluster)
        {
            Refuse(context, "no cluster");
            return;
        }
        QueryString.TryGetRaw(context.Request.Query, "token"u8, out var raw);
        string? token = raw.IsEmpty || raw.Length > SwitchToken.MaxLength ? null : Encoding.ASCII.GetString(raw);
        byte[] key;
        try
        {
            key = await cluster.SwitchKeyAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException or InvalidOperationException)
        {
            ApiJson.Error(context, 503, "settings database unavailable: " + ex.Message);
            return;
        }
        var now = services.Time.GetUtcNow();
        var check = SwitchToken.Verify(key, token, cluster.Id, now, out var user, out var nonce, out var expiry);
        if (check == SwitchTokenCheck.Ok)
        {
            try
            {
                if (!await cluster.TryUseOnceAsync(nonce, expiry).ConfigureAwait(false)) check = SwitchTokenCheck.Replayed;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException)
            {
                ApiJson.Error(context, 503, "settings database unavailable: " + ex.Message);
                return;
            }
        }
        if (check != SwitchTokenCheck.Ok)
        {
            Refuse(context, check.ToString());
            return;
        }
        var created = auth.Sessions.Create(user, "cluster");
        Log.Info("auth", "login", $"user={Log.Quote(user)} scheme=cluster via=switch ip={context.RemoteEndPoint?.Address}");
        var response = context.Response;
        response.StatusCode = 303;
        response.AddHeader("Set-Cookie"u8, $"{ConsoleAuth.CookieName}={created.SessionId}; Path=/; HttpOnly; SameSite=Strict{(context.IsTls ? "; Secure" : "")}");
        response.AddHeader("Location"u8, "/"u8);
        ApiJson.NoStore(response);
        // The token is in this URL: keep it out of the next page's Referer.
        response.AddHeader("Referrer-Policy"u8, "no-referrer"u8);
    }

    private static void Refuse(HttpContext context, string why)
    {
        Log.Info("cluster", "switch token refused", $"reason={why} ip={context.RemoteEndPoint?.Address}");
        ApiJson.Error(context, 403, "invalid, expired or already used switch token; log in with your password");
    }
}
