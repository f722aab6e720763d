using System.Buffers;
using System.Text.Json;

namespace MailerQ.Www.Console.Auth;

/// <summary>Small JSON answers of the login routes, written with Utf8JsonWriter straight into the response body.</summary>
internal static class JsonText
{
    public static void WriteUser(IBufferWriter<byte> body, string user, string? csrf)
    {
        using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        writer.WriteString("user"u8, user);
        if (csrf is null) writer.WriteNull("csrf"u8);
        else writer.WriteString("csrf"u8, csrf);
        writer.WriteEndObject();
    }

    public static void WriteError(IBufferWriter<byte> body, string error)
    {
        using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        writer.WriteString("error"u8, error);
        writer.WriteEndObject();
    }
}
