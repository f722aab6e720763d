using System.Collections.Concurrent;
using MailerQ.Www.Auth;
using MailerQ.Www.Core.Metrics;

namespace MailerQ.Www.Console.Auth;

/// <summary>
/// Console logins (form and Basic) by the scheme that decided them (<c>file</c>, <c>ldap</c>, <c>radius</c>, …)
/// and the result (<c>accepted</c>, <c>rejected</c>, <c>error</c>, <c>locked</c>), for <c>/metrics</c>.
/// Schemes are the configured backends' URL schemes, so the set of labels stays small.
/// </summary>
internal sealed class AuthResultCounters
{
    private readonly ConcurrentDictionary<(string Scheme, string Result), MetricCounter> _counts = new();

    public void Count(AuthResult result) => Count(result.Scheme, result.Outcome switch
    {
        AuthOutcome.Accepted => "accepted",
        AuthOutcome.Rejected => "rejected",
        _ => "error",
    });

    /// <summary>The throttle refused the attempt without asking a backend.</summary>
    public void CountLockout() => Count("none", "locked");

    private void Count(string scheme, string result) =>
        _counts.GetOrAdd((string.IsNullOrEmpty(scheme) ? "none" : scheme, result), static _ => new MetricCounter()).Increment();

    /// <summary>Every (scheme, result, count) seen so far, sorted for stable output.</summary>
    public List<(string Scheme, string Result, long Count)> Snapshot()
    {
        var list = new List<(string, string, long)>(_counts.Count);
        foreach (var pair in _counts) list.Add((pair.Key.Scheme, pair.Key.Result, pair.Value.Value));
        list.Sort(static (a, b) => a.Item1 != b.Item1 ? string.CompareOrdinal(a.Item1, b.Item1) : string.CompareOrdinal(a.Item2, b.Item2));
        return list;
    }
}
