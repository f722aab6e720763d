using MailerQ.Www.Core.Settings;
using MailerQ.Www.Http;
using MailerQ.Www.Http.Parsing;
using MailerQ.Www.Http.Routing;
using MailerQ.Www.Console.Auth;

namespace MailerQ.Www.Console.Settings;

/// <summary>
/// Every settings route on the console port: REST API v1 (<see cref="RestApiV1"/>), throttles, tokens, DKIM keys, local
/// addresses and the audit log, over one <see cref="SettingsCache"/>. Also the Bearer check for the login gate: tokens are verified against
/// the current snapshot, so a revoked token fails from the moment its DELETE was answered.
/// </summary>
internal sealed class SettingsApi : IBearerTokens
{
    private readonly SettingsCache _settings;

    public SettingsApi(SettingsCache settings)
    {
        _settings = settings;
        V1 = new RestApiV1(settings);
        Throttles = new ThrottleApi(settings);
        Tokens = new TokenApi(settings);
        Dkim = new DkimApi(settings);
        Locals = new LocalsApi(settings);
    }

    public RestApiV1 V1 { get; }
    public ThrottleApi Throttles { get; }
    public TokenApi Tokens { get; }
    public DkimApi Dkim { get; }
    public LocalsApi Locals { get; }

    public void Map(Router router)
    {
        V1.Map(router);
        Throttles.Map(router);
        Tokens.Map(router);
        Dkim.Map(router);
        Locals.Map(router);
        router.Map(HttpMethod.Get, "/api/audit", ApiIo.Guard(AuditAsync));
    }

    public bool TryVerify(ReadOnlySpan<byte> token, out string name) => _settings.Current.TryVerifyToken(token, out name);

    /// <summary><c>GET /api/audit?limit=N</c>: the newest settings changes, newest first (who, what, when).</summary>
    private async ValueTask AuditAsync(HttpContext context)
    {
        RequestFields.FromQuery(context.Request.Query).TryInt("limit", 1, 10_000, out int? limit, out _);
        var entries = await _settings.Store.ReadAuditAsync(limit ?? 100).ConfigureAwait(false);
        using var w = ApiIo.Json(context.Response);
        w.WriteStartArray();
        foreach (var e in entries)
        {
            w.WriteStartObject();
            w.WriteString("time"u8, ApiIo.FormatTime(e.Time));
            w.WriteString("user"u8, e.User);
            w.WriteString("action"u8, e.Action);
            w.WriteString("target"u8, e.Target);
            if (e.Detail is null) w.WriteNull("detail"u8);
            else w.WriteString("detail"u8, e.Detail);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
