using MailerQ.Www.Auth;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Tracing;
using MailerQ.Www.Smtp;
using MailerQ.Www.Smtp.Queue;
using MailerQ.Www.Smtp.Storage;

namespace MailerQ.Www.Host.Mail;

/// <summary>
/// The inbound MTA: <c>smtp-*</c> settings, the queue (embedded unless <c>rabbitmq-address</c> is set),
/// the console's message store, <c>smtp-auth</c> and the trace bus, composed into one
/// <see cref="SmtpServer"/>. Every problem is a config error with its file and line.
/// </summary>
internal static class MailSetup
{
    public static SmtpServer? Build(ConfigSet config, GeneralSettings general, TraceBus trace, MetricsRegistry metrics, bool checkOnly)
    {
        var diagnostics = config.Diagnostics;
        var settings = SmtpSettings.Read(config);
        if (diagnostics.HasErrors) return null;

        AuthChain? chain = null;
        if (settings.Auth.Count > 0)
        {
            chain = AuthSchemeRegistry.CreateDefault().CreateChain(settings.Auth, null, diagnostics);
            if (diagnostics.HasErrors) return null;
        }
        if (checkOnly)
        {
            chain?.Dispose();
            return null;
        }

        var queue = MessageQueueFactory.Create(config, general.DataDirectory);
        var options = SmtpServerOptions.FromSettings(settings, queue, out var error);
        if (options is null)
        {
            var key = config.OriginOf("smtp-certificate") is not null ? "smtp-certificate" : "smtp-secure-port";
            diagnostics.Error(config.OriginOf(key) ?? ConfigOrigin.Default, key, error ?? "cannot set up SMTP TLS");
            chain?.Dispose();
            return null;
        }
        if (chain is not null) options.Authenticator = new SmtpAuthAdapter(chain);
        options.Trace = new SmtpTraceAdapter(trace);
        options.Store = new MessageStore(general.DataDirectory);

        var counters = options.Counters;
        metrics.Observe("smtp.inbound.connections", () => counters.Connections);
        metrics.Observe("smtp.inbound.messages", () => counters.Messages);
        metrics.Observe("smtp.inbound.bytes", () => counters.Bytes);
        return new SmtpServer(options);
    }
}
