using System.Net;
using System.Net.Security;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Tls;
using MailerQ.Www.Smtp.Protocol;
using MailerQ.Www.Smtp.Queue;
using MailerQ.Www.Smtp.Sessions;
using MailerQ.Www.Smtp.Storage;
using MailerQ.Www.Core.Sessions;

namespace MailerQ.Www.Smtp;

/// <summary>Everything an <see cref="SmtpServer"/> needs; <see cref="FromSettings"/> builds it from <c>smtp-*</c> keys.</summary>
internal sealed class SmtpServerOptions
{
    public List<SmtpEndpoint> Endpoints { get; } = [];

    /// <summary>TLS options for the next handshake (STARTTLS and implicit TLS); null = no TLS.</summary>
    public Func<SslServerAuthenticationOptions>? Tls { get; set; }

    /// <summary>The certificate pair behind <see cref="Tls"/> when built by <see cref="FromSettings"/>: the host calls
    /// <c>Reload()</c> on SIGHUP (or <c>WatchFiles()</c>); new handshakes use the new pair, open sessions keep theirs.</summary>
    public TlsCertificateSource? Certificate { get; set; }

    /// <summary><c>smtp-connections(-in)</c>: exact cap on simultaneous inbound connections.</summary>
    public int MaxConnections { get; set; } = SmtpSettings.DefaultConnections;

    /// <summary><c>smtp-maxsize</c>, advertised as SIZE.</summary>
    public long MaxMessageSize { get; set; } = SmtpSettings.DefaultMaxSize;

    /// <summary><c>smtp-timeout</c>: how long the server waits for each command or data chunk.</summary>
    public TimeSpan CommandTimeout { get; set; } = SmtpSettings.DefaultTimeout;

    /// <summary>TLS handshake budget.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxRecipients { get; set; } = SmtpLimits.Recipients;

    /// <summary><c>smtp-range</c>: clients that may relay without AUTH.</summary>
    public IReadOnlyList<IPNetwork> RelayNetworks { get; set; } = SmtpSettings.LoopbackRange;

    /// <summary>
    /// Clients that may always relay: loopback (CONTRACT.md "Mail", like Postfix's default mynetworks). Tests
    /// narrow it to 127.0.0.1 so that 127.0.0.2 can play an outside client.
    /// </summary>
    public IReadOnlyList<IPNetwork> TrustedNetworks { get; set; } = SmtpSettings.LoopbackRange;

    /// <summary>Recipients anyone may send to (MailerQ's <c>locals</c> table); null = none.</summary>
    public Func<string, bool>? IsLocalRecipient { get; set; }

    /// <summary>Checks AUTH credentials; null = AUTH not offered (<c>smtp-auth</c> unset).</summary>
    public ISmtpAuthenticator? Authenticator { get; set; }

    public ISmtpTrace Trace { get; set; } = NullSmtpTrace.Instance;

    public required IMessageQueue Queue { get; set; }

    /// <summary>Keeps raw MIME for the console; null = not kept.</summary>
    public MessageStore? Store { get; set; }

    public RecentSessions Sessions { get; set; } = new();

    public SmtpCounters Counters { get; set; } = new();

    /// <summary>Our name in the greeting and EHLO reply.</summary>
    public string HostName { get; set; } = System.Net.Dns.GetHostName();

    /// <summary><c>dsn-advertise</c>.</summary>
    public bool AdvertiseDsn { get; set; } = true;

    /// <summary><c>smtp-extract</c>.</summary>
    public bool Extract { get; set; } = true;

    public int Backlog { get; set; } = 512;

    /// <summary>Plain-text sessions run their socket completions on the epoll thread (<see cref="Smtp.InlineCompletions"/>); off: every completion goes through the thread pool.</summary>
    public bool InlineCompletions { get; set; } = true;

    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>
    /// Options for the settings; loads certificate and cipher list when set. Returns null with
    /// <paramref name="error"/> when the TLS material is unusable.
    /// </summary>
    public static SmtpServerOptions? FromSettings(SmtpSettings settings, IMessageQueue queue, out string? error)
    {
        var options = new SmtpServerOptions
        {
            Queue = queue,
            MaxConnections = settings.ConnectionsIn,
            MaxMessageSize = settings.MaxSize,
            CommandTimeout = settings.Timeout,
            RelayNetworks = settings.Range,
            AdvertiseDsn = settings.AdvertiseDsn,
            Extract = settings.Extract,
        };
        var address = settings.Ip ?? IPAddress.IPv6Any;
        foreach (int port in settings.Ports)
            options.Endpoints.Add(new SmtpEndpoint(new IPEndPoint(address, port), ImplicitTls: false));
        foreach (int port in settings.SecurePorts)
            options.Endpoints.Add(new SmtpEndpoint(new IPEndPoint(address, port), ImplicitTls: true));

        error = null;
        if (settings.TlsConfigured)
        {
            IReadOnlyList<TlsCipherSuite>? suites = null;
            if (settings.Ciphers is not null && !OpenSslCipherList.TryResolve(settings.Ciphers, out suites, out error))
                return null;
            var source = TlsCertificateSource.TryCreate(settings.Certificate!, settings.Key!, suites, out var loaded);
            if (source is null)
            {
                error = loaded.Error;
                return null;
            }
            options.Certificate = source;
            options.Tls = () => WithoutAlpn(source.Current);
        }
        return options;
    }

    /// <summary>The console's options name http/1.1 for ALPN; SMTP clients send none, and must not be refused for offering "smtp".</summary>
    internal static SslServerAuthenticationOptions WithoutAlpn(SslServerAuthenticationOptions options) => new()
    {
        ServerCertificateContext = options.ServerCertificateContext,
        EnabledSslProtocols = options.EnabledSslProtocols,
        CipherSuitesPolicy = options.CipherSuitesPolicy,
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = options.CertificateRevocationCheckMode,
        AllowRenegotiation = false,
    };
}
