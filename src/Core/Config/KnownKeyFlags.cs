namespace MailerQ.Www.Core.Config;

/// <summary>How a key's values combine and split.</summary>
[Flags]
internal enum KnownKeyFlags
{
    /// <summary>One value; when set twice in one layer the later one wins (with a warning).</summary>
    None = 0,

    /// <summary>
    /// The key may be written on several lines and every line counts, in order
    /// (<c>www-auth</c>: "tried in order, the first that accepts wins", 5.13/management-console.md).
    /// </summary>
    Repeatable = 1,

    /// <summary>MailerQ documents the value as a comma- or semicolon-separated list (<see cref="ConfigSet.GetList"/>).</summary>
    List = 2,
}
