using System.Net.Security;
using MailerQ.Www.Core.Logging;

namespace MailerQ.Www.Core.Tls;

/// <summary>
/// The HTTPS endpoint's certificate, key and cipher policy, replaceable while the server runs:
/// SIGHUP or a change of either file (debounced) reloads the pair; new handshakes use the new one,
/// open connections keep theirs; a broken new pair is logged and the old one kept.
/// </summary>
internal sealed class TlsCertificateSource : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);

    private readonly string _certificatePath;
    private readonly string _keyPath;
    private readonly IReadOnlyList<TlsCipherSuite>? _cipherSuites;
    private readonly Lock _reloadGate = new();
    private SslServerAuthenticationOptions _current;
    private readonly List<FileSystemWatcher> _watchers = [];
    private Timer? _debounce;

    private TlsCertificateSource(string certificatePath, string keyPath, IReadOnlyList<TlsCipherSuite>? cipherSuites, PemLoadResult loaded)
    {
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        _cipherSuites = cipherSuites;
        _current = TlsServerOptionsFactory.Create(loaded.Context!, cipherSuites);
        Subject = loaded.Leaf!.Subject;
    }

    /// <summary>Loads the pair; on failure returns null and the loader's result says why.</summary>
    public static TlsCertificateSource? TryCreate(string certificatePath, string keyPath, IReadOnlyList<TlsCipherSuite>? cipherSuites, out PemLoadResult result)
    {
        result = PemCertificateLoader.Load(certificatePath, keyPath);
        return result.Succeeded ? new TlsCertificateSource(certificatePath, keyPath, cipherSuites, result) : null;
    }

    /// <summary>The options for the next handshake.</summary>
    public SslServerAuthenticationOptions Current => Volatile.Read(ref _current);

    /// <summary>Subject of the certificate being served (for logs).</summary>
    public string Subject { get; private set; }

    /// <summary>How many reloads succeeded (tests, metrics).</summary>
    public int Reloads { get; private set; }

    /// <summary>Reads both files again; keeps the old pair when the new one is broken.</summary>
    public bool Reload()
    {
        lock (_reloadGate)
        {
            var result = PemCertificateLoader.Load(_certificatePath, _keyPath);
            if (!result.Succeeded)
            {
                Log.Error("tls", "certificate reload failed, keeping the current one", $"certificate={Log.Quote(_certificatePath)} error={Log.Quote(result.Error)}");
                return false;
            }
            foreach (var warning in result.Warnings)
                Log.Warning("tls", warning, $"certificate={Log.Quote(_certificatePath)}");
            Volatile.Write(ref _current, TlsServerOptionsFactory.Create(result.Context!, _cipherSuites));
            Subject = result.Leaf!.Subject;
            Reloads++;
            Log.Info("tls", "certificate reloaded", $"subject={Log.Quote(Subject)}");
            return true;
        }
    }

    /// <summary>Reloads (debounced) when either file is written, replaced or renamed into place.</summary>
    public void WatchFiles()
    {
        _debounce = new Timer(static s => ((TlsCertificateSource)s!).Reload(), this, Timeout.Infinite, Timeout.Infinite);
        foreach (var dir in new[] { Path.GetDirectoryName(_certificatePath)!, Path.GetDirectoryName(_keyPath)! }.Distinct(StringComparer.Ordinal))
        {
            var watcher = new FileSystemWatcher(dir)
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += OnFileEvent;
            watcher.Created += OnFileEvent;
            watcher.Renamed += OnFileEvent;
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e)
    {
        if (string.Equals(e.FullPath, _certificatePath, StringComparison.Ordinal) || string.Equals(e.FullPath, _keyPath, StringComparison.Ordinal))
            _debounce?.Change(Debounce, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        foreach (var w in _watchers) w.Dispose();
        _debounce?.Dispose();
    }
}
