using MailerQ.Www.Auth.Tests.Support;

namespace MailerQ.Www.Auth.Tests.Crypt;

/// <summary>Hashes made by the real tools operators use (Debian: whois, openssl, apache2-utils).</summary>
internal static class HashTools
{
    public static string Mkpasswd(string method, string password, params string[] extra) =>
        Cli.RunWithInput(password + "\n", "mkpasswd", [.. extra, "-m", method, "-s"]).Trim();

    public static string OpenSsl(string flag, string password) =>
        Cli.RunWithInput(password + "\n", "openssl", "passwd", flag, "-stdin").Trim();

    /// <summary><c>htpasswd -nb</c> prints <c>user:hash</c> and an empty line.</summary>
    public static string Htpasswd(string flag, string user, string password)
    {
        string line = Cli.Run("htpasswd", "-nb" + flag, user, password).Trim();
        return line[(line.IndexOf(':') + 1)..];
    }
}
