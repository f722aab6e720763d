using System.Text.Json;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Core.Dkim;

namespace MailerQ.Www.Console.Settings;

/// <summary>
/// A DKIM key as the console sees it (docs/console-api.md "DKIM keys"): everything but the private key, plus what
/// follows from it — key type, size, public key and the DNS TXT record (name, text, and the text cut into
/// 255-byte character-strings for zone files).
/// </summary>
internal static class DkimKeyJson
{
    public static void Write(Utf8JsonWriter w, DkimKey key)
    {
        w.WriteStartObject();
        w.WriteNumber("id"u8, key.Id);
        w.WriteString("domain"u8, key.Domain);
        w.WriteString("selector"u8, key.Selector);
        w.WriteString("algorithm"u8, key.Algorithm);
        // A key edited into the database by hand may not parse; list it anyway, with the reason, so it can be deleted.
        if (DkimKeyMaterial.TryParse(key.PrivateKeyPem, out var material, out var error))
        {
            w.WriteString("keyType"u8, material.KeyType);
            w.WriteNumber("bits"u8, material.Bits);
            w.WriteString("publicKey"u8, material.PublicKeyBase64);
            w.WriteStartObject("dns"u8);
            w.WriteString("name"u8, DkimKeyMaterial.DnsRecordName(key.Selector, key.Domain));
            w.WriteString("type"u8, "TXT"u8);
            w.WriteString("text"u8, material.DnsRecordText);
            w.WriteStartArray("strings"u8);
            foreach (var s in material.DnsRecordStrings) w.WriteStringValue(s);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("keyType"u8);
            w.WriteNull("publicKey"u8);
            w.WriteNull("dns"u8);
            w.WriteString("error"u8, error);
        }
        w.WriteStartArray("headers"u8);
        foreach (var h in key.Headers) w.WriteStringValue(h);
        w.WriteEndArray();
        if (key.Expire is { } expire) w.WriteString("expire"u8, ApiIo.FormatTime(expire));
        else w.WriteNull("expire"u8);
        w.WriteNumber("priority"u8, key.Priority);
        w.WriteStartArray("patterns"u8);
        foreach (var p in key.Patterns) Write(w, p);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, DkimPattern p)
    {
        w.WriteStartObject();
        w.WriteNumber("id"u8, p.Id);
        w.WriteString("pattern"u8, p.Pattern);
        w.WriteString("type"u8, PatternTypes.ToText(p.Type));
        w.WriteEndObject();
    }
}
