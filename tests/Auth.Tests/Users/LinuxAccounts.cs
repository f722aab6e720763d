using System.Security.Cryptography;
using MailerQ.Www.Auth.Tests.Support;

namespace MailerQ.Www.Auth.Tests.Users;

/// <summary>
/// Real Linux accounts and PAM service files for one test class (recipes/README.md "Linux users"):
/// <c>useradd -M -s /usr/sbin/nologin</c> + <c>chpasswd</c>; everything is removed on dispose, also when
/// a test failed. Names share a random prefix so parallel runs never collide.
/// </summary>
public sealed class LinuxAccounts : IDisposable
{
    private readonly List<string> _users = [];
    private readonly List<string> _services = [];

    // Accounts and services a crashed earlier run could not remove (Dispose never ran): once per process.
    private static readonly Lazy<bool> StaleSwept = new(SweepStale);

    public LinuxAccounts()
    {
        _ = StaleSwept.Value;
        Prefix = "mqt" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    }

    /// <summary>Random lower-case prefix of every account name here.</summary>
    public string Prefix { get; }

    /// <summary>Creates account <c>Prefix + suffix</c> with <paramref name="password"/>; returns its name.</summary>
    public string Add(string suffix, string password)
    {
        string name = Prefix + suffix;
        Cli.Run("useradd", "-M", "-s", "/usr/sbin/nologin", name);
        _users.Add(name);
        Cli.RunWithInput($"{name}:{password}\n", "chpasswd");
        return name;
    }

    /// <summary>Writes /etc/pam.d/&lt;name&gt; and returns the service name.</summary>
    public string Service(string suffix, string text)
    {
        string name = $"mailerq-test-{Prefix}-{suffix}";
        File.WriteAllText(Path.Combine("/etc/pam.d", name), text);
        _services.Add(name);
        return name;
    }

    /// <summary>pam_unix for auth and account like Debian's common-*, without the failure delays.</summary>
    public string UnixService() => Service("unix", "auth required pam_unix.so nodelay\naccount required pam_unix.so\n");

    /// <summary>Says yes to everyone: a test that passes with it proves PAM was never asked.</summary>
    public string PermitService() => Service("permit", "auth required pam_permit.so\naccount required pam_permit.so\n");

    public void Dispose()
    {
        foreach (var user in _users)
            Cli.TryRun(null, "userdel", user);
        foreach (var service in _services)
            File.Delete(Path.Combine("/etc/pam.d", service));
    }

    private static bool SweepStale()
    {
        var ours = new System.Text.RegularExpressions.Regex("^mqt[0-9a-f]{6}[a-z0-9]+$");
        foreach (var line in File.ReadAllLines("/etc/passwd"))
        {
            string name = line.Split(':')[0];
            if (ours.IsMatch(name))
                Cli.TryRun(null, "userdel", name);
        }
        foreach (var file in Directory.GetFiles("/etc/pam.d", "mailerq-test-mqt*"))
            File.Delete(file);
        return true;
    }
}
