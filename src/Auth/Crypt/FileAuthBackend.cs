using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Logging;

namespace MailerQ.Www.Auth.Crypt;

/// <summary>
/// <c>file:///path</c>: a password file of <c>user:hash</c> lines (see <see cref="PasswordFile"/>),
/// checked by <see cref="CryptVerifier"/>. The file is re-read when its modification time or size changes,
/// looked at no more than once per <see cref="AuthLimits.PasswordFileRecheck"/> (polling on the login path
/// instead of a FileSystemWatcher: no inotify watches to run out of, and editors that replace the file by
/// rename are seen the same way). If the file disappears or cannot be read, logins through it answer
/// Error (the chain goes on), so deleting the file revokes its users instead of freezing an old copy.
/// </summary>
internal sealed class FileAuthBackend : IAuthBackend
{
    public const string SchemeName = "file";

    private readonly TimeProvider _time;
    private readonly long _recheckTicks;
    private readonly Lock _reloadGate = new();
    private FileAuthState _state;
    private long _nextCheck;

    public FileAuthBackend(string path, PasswordFile? file, FileStamp stamp, TimeProvider? timeProvider = null)
    {
        Path = path;
        _time = timeProvider ?? TimeProvider.System;
        _recheckTicks = (long)(AuthLimits.PasswordFileRecheck.TotalSeconds * _time.TimestampFrequency);
        _state = new FileAuthState(file, stamp);
        _nextCheck = _time.GetTimestamp() + _recheckTicks;
    }

    public string Scheme => SchemeName;

    /// <summary>Absolute path of the password file.</summary>
    public string Path { get; }

    /// <summary>The table in use now (after a change check).</summary>
    internal PasswordFile? Current => Refresh().File;

    public ValueTask<AuthResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var file = Refresh().File;
        if (file is null)
            return ValueTask.FromResult(new AuthResult(AuthOutcome.Error, SchemeName, "password file unreadable"));

        if (!file.TryGet(userName, out var entry))
        {
            // Same work as a wrong password, so the answer time does not tell which users exist.
            if (file.Dummy is { } dummy)
                CryptVerifier.Verify(password, dummy.Hash, dummy.Format);
            return ValueTask.FromResult(new AuthResult(AuthOutcome.Rejected, SchemeName, "unknown user"));
        }
        if (entry.Format == CryptFormat.Disabled && file.Dummy is { } burn)
            CryptVerifier.Verify(password, burn.Hash, burn.Format);

        bool ok = CryptVerifier.Verify(password, entry.Hash, entry.Format);
        return ValueTask.FromResult(ok
            ? new AuthResult(AuthOutcome.Accepted, SchemeName)
            : new AuthResult(AuthOutcome.Rejected, SchemeName, entry.Format == CryptFormat.Disabled ? "account disabled" : "wrong password"));
    }

    /// <summary>Parses <c>file:///path</c> and loads the file; problems in it are reported at <c>FILE:LINE</c>.</summary>
    public static FileAuthBackend? Create(ConfigEntry entry, ConfigDiagnostics diagnostics, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (!AuthUrl.TryGetLocalPath(entry.Value, out string? path, out string? problem))
        {
            diagnostics.Error(entry.Origin, entry.Key, "file: " + problem);
            return null;
        }
        return Open(path, entry.Origin, entry.Key, diagnostics, timeProvider);
    }

    /// <summary>Loads <paramref name="path"/>; findings go to <paramref name="diagnostics"/> (at the file's own lines).</summary>
    public static FileAuthBackend? Open(string path, ConfigOrigin origin, string key, ConfigDiagnostics diagnostics, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var stamp = FileStamp.Of(path);
        PasswordFile file;
        try
        {
            file = PasswordFile.Load(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.DecoderFallbackException)
        {
            diagnostics.Error(origin, key, $"file: cannot read {Log.Quote(path)}: {ex.Message}");
            return null;
        }

        foreach (var finding in file.Findings)
        {
            var at = finding.Line > 0 ? ConfigOrigin.File(path, finding.Line) : origin;
            diagnostics.Add(new ConfigDiagnostic(finding.Severity, at, key, "file: " + finding.Message));
        }
        if (file.Count == 0)
            diagnostics.Warning(origin, key, $"file: {Log.Quote(path)} has no users");
        if (!Native.LibCrypt.IsAvailable)
            diagnostics.Error(origin, key, "file: libcrypt.so.1 (Debian package libcrypt1) is not available to verify hashes");
        return new FileAuthBackend(path, file, stamp, timeProvider);
    }

    private FileAuthState Refresh()
    {
        long now = _time.GetTimestamp();
        if (now < Volatile.Read(ref _nextCheck) || !_reloadGate.TryEnter())
            return Volatile.Read(ref _state);
        try
        {
            Volatile.Write(ref _nextCheck, now + _recheckTicks);
            var stamp = FileStamp.Of(Path);
            var state = _state;
            if (stamp == state.Stamp)
                return state;

            FileAuthState next;
            try
            {
                var file = PasswordFile.Load(Path);
                foreach (var f in file.Findings)
                    Log.Write(f.Severity == ConfigSeverity.Error ? LogLevel.Error : LogLevel.Warning, "auth", $"{Path}:{f.Line}: {f.Message}");
                Log.Info("auth", "password file loaded", $"path={Log.Quote(Path)} users={file.Count}");
                next = new FileAuthState(file, stamp);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.DecoderFallbackException)
            {
                Log.Error("auth", "password file unreadable; its users cannot log in", $"path={Log.Quote(Path)} error={Log.Quote(ex.Message)}");
                next = new FileAuthState(null, stamp);
            }
            Volatile.Write(ref _state, next);
            return next;
        }
        finally
        {
            _reloadGate.Exit();
        }
    }
}
