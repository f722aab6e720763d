namespace MailerQ.Www.Core.Config;

/// <summary>A config key this program recognises.</summary>
/// <param name="Name">Canonical lower-case name.</param>
/// <param name="Default">Built-in default, or null when MailerQ has none or derives it from other keys at run time.</param>
/// <param name="Flags">Repeat and list behaviour.</param>
internal sealed record KnownKey(string Name, string? Default, KnownKeyFlags Flags = KnownKeyFlags.None)
{
    public bool IsRepeatable => (Flags & KnownKeyFlags.Repeatable) != 0;

    public bool IsList => (Flags & KnownKeyFlags.List) != 0;
}
