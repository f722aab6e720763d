using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MailerQ.Www.Console.Cluster;

/// <summary>
/// The one-time token that carries an operator from one instance's console to another's without typing the password
/// again (issue 11 point 4): HMAC-SHA256 with the key every instance shares through the settings database, over the
/// user name, the target instance's id, an expiry <see cref="Lifetime"/> ahead and a random nonce. The target checks
/// signature, expiry and that it is the target; the nonce is then spent in the database so the token works once.
/// </summary>
/// <remarks>Format: <c>base64url(payload) "." base64url(mac)</c>, payload = <c>v1 \n user \n target \n expiry-unix \n nonce</c>.</remarks>
internal static class SwitchToken
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>Tokens are short; anything longer is refused before decoding.</summary>
    public const int MaxLength = 4096;

    public static string Create(ReadOnlySpan<byte> key, string user, string target, DateTimeOffset now)
    {
        var nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var expiry = (now + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var payload = Encoding.UTF8.GetBytes($"v1\n{user}\n{target}\n{expiry}\n{nonce}");
        var mac = HMACSHA256.HashData(key, payload);
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(mac);
    }

    /// <summary>Checks everything but single use; on <see cref="SwitchTokenCheck.Ok"/> the out values are the token's.</summary>
    public static SwitchTokenCheck Verify(ReadOnlySpan<byte> key, string? token, string self, DateTimeOffset now,
        out string user, out string nonce, out DateTimeOffset expiry)
    {
        user = nonce = "";
        expiry = default;
        if (string.IsNullOrEmpty(token) || token.Length > MaxLength) return SwitchTokenCheck.Malformed;
        int dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0) return SwitchTokenCheck.Malformed;
        byte[] payload, mac;
        try
        {
            payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return SwitchTokenCheck.Malformed;
        }
        // The signature first, in fixed time: nothing of an unsigned payload is believed, not even its version.
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, payload), mac)) return SwitchTokenCheck.BadSignature;
        var fields = Encoding.UTF8.GetString(payload).Split('\n');
        if (fields.Length != 5 || fields[0] != "v1" || fields[1].Length == 0
            || !long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out long unix))
            return SwitchTokenCheck.Malformed;
        expiry = DateTimeOffset.FromUnixTimeSeconds(unix);
        if (now >= expiry) return SwitchTokenCheck.Expired;
        if (!string.Equals(fields[2], self, StringComparison.Ordinal)) return SwitchTokenCheck.WrongInstance;
        user = fields[1];
        nonce = fields[4];
        return SwitchTokenCheck.Ok;
    }
}
