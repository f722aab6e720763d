using System.Text.Json;
using MailerQ.Www.Core.Settings;

namespace MailerQ.Www.Console.Settings;

/// <summary>The objects REST v1 returns, with MailerQ's field names (5.13/rest-api-v1-*.md); unset fields are left out.</summary>
internal static class SettingsJson
{
    public static void Write(Utf8JsonWriter w, Pause p)
    {
        w.WriteStartObject();
        ApiIo.WriteOptional(w, "mta"u8, p.Mta);
        ApiIo.WriteOptional(w, "pool"u8, p.Pool);
        ApiIo.WriteOptional(w, "domain"u8, p.Domain);
        ApiIo.WriteOptional(w, "ip"u8, p.Ip);
        ApiIo.WriteOptional(w, "tag"u8, p.Tag);
        w.WriteBoolean("cluster"u8, p.Cluster);
        ApiIo.WriteOptional(w, "instance"u8, p.Instance);
        if (p.Expire is { } expire) w.WriteString("expire"u8, ApiIo.FormatTime(expire));
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, ForcedError e)
    {
        w.WriteStartObject();
        w.WriteNumber("code"u8, e.Code);
        ApiIo.WriteOptional(w, "extended"u8, e.Extended);
        ApiIo.WriteOptional(w, "description"u8, e.Description);
        ApiIo.WriteOptional(w, "mta"u8, e.Mta);
        ApiIo.WriteOptional(w, "pool"u8, e.Pool);
        ApiIo.WriteOptional(w, "domain"u8, e.Domain);
        ApiIo.WriteOptional(w, "ip"u8, e.Ip);
        ApiIo.WriteOptional(w, "tag"u8, e.Tag);
        w.WriteBoolean("cluster"u8, e.Cluster);
        ApiIo.WriteOptional(w, "instance"u8, e.Instance);
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, Suppression s)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, s.Type == SuppressionType.Domain ? "domain" : "address");
        w.WriteString("value"u8, s.Value);
        if (s.Code is int code) w.WriteNumber("code"u8, code);
        ApiIo.WriteOptional(w, "extended"u8, s.Extended);
        ApiIo.WriteOptional(w, "description"u8, s.Description);
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, IpPool p)
    {
        w.WriteStartObject();
        w.WriteString("name"u8, p.Name);
        w.WriteString("description"u8, p.Description ?? "");
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, PoolIp ip)
    {
        w.WriteStartObject();
        w.WriteString("ip"u8, ip.Ip);
        w.WriteString("name"u8, ip.Name);
        w.WriteEndObject();
    }
}
