using System.Text.Json;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>Small JSON value helpers that need no serializer (AOT-safe).</summary>
internal static class JsonSerializerless
{
    /// <summary>The string in a raw JSON string value, or null when it is not a string.</summary>
    public static string? UnquoteString(string rawJson)
    {
        using var document = JsonDocument.Parse(rawJson);
        return document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString() : null;
    }

    /// <summary>A raw JSON string value.</summary>
    public static string Quote(string value) => "\"" + JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value + "\"";
}
