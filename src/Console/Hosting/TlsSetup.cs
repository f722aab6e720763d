using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Core.Tls;

namespace MailerQ.Www.Console.Hosting;

/// <summary>
/// Turns <c>www-secure-port</c>, <c>www-certificate</c>, <c>www-privatekey</c> and <c>www-ciphers</c>
/// into a loaded certificate source, or into config errors that name the file, line and key at fault.
/// </summary>
internal static class TlsSetup
{
    public static TlsCertificateSource? Load(WwwSettings www, ConfigSet config)
    {
        var diagnostics = config.Diagnostics;
        bool ok = true;
        if (www.Certificate is null)
        {
            diagnostics.Error(config.OriginOf("www-secure-port") ?? ConfigOrigin.Default, "www-certificate", "www-secure-port is set but www-certificate is not");
            ok = false;
        }
        if (www.PrivateKey is null)
        {
            diagnostics.Error(config.OriginOf("www-secure-port") ?? ConfigOrigin.Default, "www-privatekey", "www-secure-port is set but www-privatekey is not");
            ok = false;
        }

        IReadOnlyList<System.Net.Security.TlsCipherSuite>? suites = null;
        if (www.Ciphers is not null)
        {
            if (!OpenSslCipherList.TryResolve(www.Ciphers, out var resolved, out var error))
            {
                diagnostics.Error(OriginOf(config, "www-ciphers"), "www-ciphers", error ?? "invalid cipher string");
                ok = false;
            }
            suites = resolved;
        }
        if (!ok) return null;

        var source = TlsCertificateSource.TryCreate(www.Certificate!, www.PrivateKey!, suites, out var result);
        if (source is null)
        {
            string key = BlamedKey(result.Failure, result.Error, www);
            diagnostics.Error(OriginOf(config, key), key, result.Error ?? "cannot load the certificate");
            return null;
        }
        foreach (var warning in result.Warnings)
            Log.Warning("tls", warning, $"certificate={Log.Quote(www.Certificate)}");
        Log.Info("tls", "certificate loaded", $"subject={Log.Quote(source.Subject)} ciphers={(suites is null ? "openssl-default" : suites.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
        return source;
    }

    private static ConfigOrigin OriginOf(ConfigSet config, string key) =>
        config.OriginOf(key) ?? (key == "www-privatekey" ? config.OriginOf("www-private-key") : null) ?? ConfigOrigin.Default;

    /// <summary>Which key the operator has to fix for this failure.</summary>
    private static string BlamedKey(PemLoadFailure failure, string? error, WwwSettings www) => failure switch
    {
        PemLoadFailure.NoCertificate or PemLoadFailure.InvalidCertificate => "www-certificate",
        PemLoadFailure.FileMissing or PemLoadFailure.FileUnreadable or PemLoadFailure.FileTooLarge =>
            error is not null && www.Certificate is not null && error.Contains(www.Certificate, StringComparison.Ordinal)
            && !string.Equals(www.Certificate, www.PrivateKey, StringComparison.Ordinal) ? "www-certificate"
            : error is not null && error.Contains("certificate file", StringComparison.Ordinal) ? "www-certificate" : "www-privatekey",
        _ => "www-privatekey",
    };
}
