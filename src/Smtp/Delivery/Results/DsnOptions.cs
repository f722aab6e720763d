using System.Net;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Smtp.Delivery.Results;

/// <summary>
/// MailerQ's bounce settings (5.13/sending-bounces.md): <c>dsn-notify</c> (default FAILURE) applies to messages
/// whose <c>dsn</c> names no NOTIFY, <c>dsn-ret</c> (default HDRS) to those naming no RET. Bounces come from
/// <c>MAILER-DAEMON@</c><see cref="HostName"/>, which is also the Reporting-MTA.
/// </summary>
internal sealed class DsnOptions
{
    public DsnNotify Notify { get; init; } = DsnNotify.Failure;

    public DsnReturn Return { get; init; } = DsnReturn.Headers;

    public string HostName { get; init; } = System.Net.Dns.GetHostName();

    public static DsnOptions Read(ConfigSet config, string hostName)
    {
        ArgumentNullException.ThrowIfNull(config);
        var notify = DsnNotify.Failure;
        if (config.Last("dsn-notify") is { } notifyEntry)
        {
            var items = config.GetList("dsn-notify");
            var parsed = DsnRequest.ParseNotifyWords(items);
            if (parsed is null || parsed.Value.HasFlag(DsnNotify.Never) && parsed.Value != DsnNotify.Never || !AllKnown(items))
                config.Report(notifyEntry, $"{ConfigText.Quote(notifyEntry.Value)} is not NEVER or a list of SUCCESS, FAILURE, DELAY");
            else
                notify = parsed.Value;
        }
        var ret = DsnReturn.Headers;
        if (config.Last("dsn-ret") is { } retEntry)
        {
            if (DsnRequest.ParseReturn(retEntry.Value) is { } parsed)
                ret = parsed;
            else
                config.Report(retEntry, $"{ConfigText.Quote(retEntry.Value)} is not HDRS or FULL");
        }
        return new DsnOptions { Notify = notify, Return = ret, HostName = hostName };
    }

    private static bool AllKnown(IReadOnlyList<string> items)
    {
        foreach (var item in items)
        {
            if (DsnRequest.ParseNotifyWords([item]) is null)
                return false;
        }
        return true;
    }
}
