using System.Text.Json;

namespace MailerQ.Www.Console.Auth;

/// <summary>
/// The body of <c>POST /api/login</c>: <c>{"username":"…","password":"…"}</c>. Read with
/// <see cref="Utf8JsonReader"/> (no reflection, NativeAOT-safe); anything else is malformed (400).
/// </summary>
internal readonly record struct LoginRequest(string UserName, string Password)
{
    public static bool TryParse(ReadOnlySpan<byte> json, out LoginRequest request)
    {
        request = default;
        string? user = null, password = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    if (reader.Read()) return false;
                    break;
                }
                if (reader.TokenType != JsonTokenType.PropertyName) return false;
                bool isUser = reader.ValueTextEquals("username"u8);
                bool isPassword = reader.ValueTextEquals("password"u8);
                if (!reader.Read()) return false;
                if (isUser || isPassword)
                {
                    if (reader.TokenType != JsonTokenType.String) return false;
                    if (isUser) user = reader.GetString();
                    else password = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }
        if (user is null || password is null) return false;
        request = new LoginRequest(user, password);
        return true;
    }
}
