using MailerQ.Www.Core.Settings;

namespace MailerQ.Www.Console.Api;

/// <summary>
/// Which pause the console's toggles act on. <see cref="Exact"/> is the row a toggle created (the same fields
/// <c>DELETE /v1/pauses</c> removes); <see cref="Effective"/> is what stops the selection's mail, perhaps a broader
/// pause the toggle cannot lift.
/// </summary>
internal static class SelectionPauses
{
    /// <summary>The unexpired pause whose mta, domain, ip and tag are exactly these (null, empty and <c>*</c> alike) and that names no pool.</summary>
    public static Pause? Exact(SettingsSnapshot settings, string? mta, string? domain, string? ip, string? tag, DateTimeOffset now)
    {
        foreach (var p in settings.Data.Pauses)
        {
            if (p.Expire is { } expire && expire <= now) continue;
            if (Norm(p.Pool) is not null) continue;
            if (Same(p.Mta, mta) && Same(p.Domain, domain) && Same(p.Ip, ip) && Same(p.Tag, tag)) return p;
        }
        return null;
    }

    /// <summary>The pause that would stop mail of this selection (null fields = not narrowed), or null.</summary>
    public static Pause? Effective(SettingsSnapshot settings, string? mta, string? domain, string? tag, DateTimeOffset now) =>
        settings.FindPause(mta ?? "", domain ?? "", null, tag is null ? [] : [tag], now);

    /// <summary>Pauses in force now (expired rows stay in the table until deleted).</summary>
    public static int Active(SettingsSnapshot settings, DateTimeOffset now)
    {
        int n = 0;
        foreach (var p in settings.Data.Pauses)
            if (p.Expire is not { } expire || expire > now) n++;
        return n;
    }

    private static string? Norm(string? value) => string.IsNullOrEmpty(value) || value == "*" ? null : value;

    private static bool Same(string? stored, string? wanted) =>
        string.Equals(Norm(stored), Norm(wanted), StringComparison.OrdinalIgnoreCase);
}
