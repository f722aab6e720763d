using System.Globalization;
using System.Security.Cryptography;
using MailerQ.Www.Auth.Crypt;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Logging;

namespace MailerQ.Www.Auth.Sessions;

/// <summary>
/// First start without any <c>www-auth</c> (CONTRACT.md): creates user <c>admin</c> with a random password,
/// stores only its <c>$6$</c> hash in <c>&lt;data-directory&gt;/admin.passwd</c> (mode 0600, a normal
/// <c>file://</c> password file) and prints the password once on stderr. Later starts find the file and
/// print nothing secret. To reset the password, delete the file and restart.
/// </summary>
internal static class AdminBootstrap
{
    public const string FileName = "admin.passwd";
    public const string UserName = "admin";

    /// <summary>24 characters of a 64-letter alphabet: 144 random bits.</summary>
    public const int PasswordLength = 24;

    /// <summary>The contract's alphabet, <c>[A-Za-z0-9_-]</c>.</summary>
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Makes sure the admin password file exists. <paramref name="console"/> (stderr by default) gets the
    /// one line <c>… generated password for user admin: &lt;password&gt;</c> when the file is created.
    /// </summary>
    /// <exception cref="IOException">The data directory or the file cannot be written.</exception>
    public static AdminBootstrapResult Ensure(string dataDirectory, TextWriter? console = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        string path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            TightenMode(path);
            return new AdminBootstrapResult(path, Created: false);
        }

        if (!Directory.Exists(dataDirectory))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dataDirectory);
            else Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        string password = GeneratePassword();
        string line = $"{UserName}:{PasswordHasher.HashSha512Crypt(password)}\n";

        // Write a private temporary file and rename it into place: a crash never leaves a half file, and
        // two processes starting at once agree on one password (the loser's rename fails, it reuses the file).
        string temp = Path.Combine(dataDirectory, $".{FileName}.{Environment.ProcessId}.{SessionStore.NewToken()[..8]}");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerReadWrite;
        try
        {
            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(line);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                return new AdminBootstrapResult(path, Created: false);
            }
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }

        var time = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var output = console ?? Console.Error;
        // The contract fixes the end of the line; the start follows the log format.
        output.WriteLine($"{time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)} warning auth no www-auth configured; stored the hash in {path}; generated password for user {UserName}: {password}");
        output.Flush();
        return new AdminBootstrapResult(path, Created: true);
    }

    /// <summary>The chain for a start without <c>www-auth</c>: the admin file as a <c>file://</c> backend.</summary>
    public static AuthChain CreateChain(AdminBootstrapResult result, ConfigDiagnostics diagnostics, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var backend = FileAuthBackend.Open(result.PasswordFile, ConfigOrigin.Named(result.PasswordFile), "www-auth", diagnostics, timeProvider);
        return new AuthChain(backend is null ? [] : [backend], timeProvider);
    }

    /// <summary><see cref="PasswordLength"/> characters of <see cref="Alphabet"/> from the CSPRNG.</summary>
    internal static string GeneratePassword() =>
        new(RandomNumberGenerator.GetItems<char>(Alphabet, PasswordLength));

    private static void TightenMode(string path)
    {
        if (OperatingSystem.IsWindows())
            return;
        var mode = File.GetUnixFileMode(path);
        if ((mode & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)) != 0)
        {
            File.SetUnixFileMode(path, OwnerReadWrite);
            Log.Warning("auth", "admin password file was readable by others; set to 0600", $"path={Log.Quote(path)}");
        }
    }
}
