namespace MailerQ.Www.Smtp.Settings;

/// <summary>
/// What to do to the settings schema at start (5.13/database-access.md): <c>database-validate</c> checks it (default on),
/// <c>--repair-database</c> adds what is missing, <c>--purge-database</c> drops every table and starts empty.
/// </summary>
internal sealed record DatabaseStartup(bool Validate = true, bool Repair = false, bool Purge = false)
{
    public static DatabaseStartup Default { get; } = new();
}
