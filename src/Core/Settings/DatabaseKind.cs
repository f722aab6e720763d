namespace MailerQ.Www.Core.Settings;

/// <summary>The databases <c>database-address</c> can name (5.13/database-access.md; MySQL is not offered here).</summary>
internal enum DatabaseKind
{
    Sqlite,
    PostgreSql,
}
