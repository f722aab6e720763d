namespace MailerQ.Www.Core.Settings;

/// <summary>
/// A parsed <c>database-address</c> (5.13/database-access.md): <c>sqlite:///abs/path/file.sql</c> (three
/// slashes = absolute; a relative path after <c>sqlite://</c> is taken from the working directory, as 3.0's
/// examples wrote it) or <c>postgresql://user:password@host[:port]/database</c>.
/// </summary>
internal sealed record DatabaseAddress
{
    public const int DefaultPostgreSqlPort = 5432;

    public DatabaseKind Kind { get; init; }
    /// <summary>SQLite: the database file.</summary>
    public string? Path { get; init; }
    public string? Host { get; init; }
    public int Port { get; init; } = DefaultPostgreSqlPort;
    public string? User { get; init; }
    public string? Password { get; init; }
    public string? Database { get; init; }

    /// <summary>The default: <c>sqlite:///&lt;data-directory&gt;/mailerq.sql</c> (CONTRACT.md "Config file").</summary>
    public static DatabaseAddress DefaultFor(string dataDirectory) =>
        new() { Kind = DatabaseKind.Sqlite, Path = System.IO.Path.Combine(dataDirectory, "mailerq.sql") };

    /// <summary>Loggable form: never the password.</summary>
    public override string ToString() => Kind == DatabaseKind.Sqlite
        ? "sqlite://" + Path
        : $"postgresql://{(User is null ? "" : User + "@")}{Host}:{Port}/{Database}";

    public static bool TryParse(string text, string workingDirectory, out DatabaseAddress address, out string error)
    {
        address = null!;
        error = "";
        text = text.Trim();
        if (text.StartsWith("sqlite://", StringComparison.OrdinalIgnoreCase))
        {
            var path = text["sqlite://".Length..];
            if (path.Length == 0 || path == "/")
            {
                error = "sqlite:// needs a file path, e.g. sqlite:///var/lib/mailerq/mailerq.sql";
                return false;
            }
            if (path.Contains('\0', StringComparison.Ordinal))
            {
                error = "the path contains a NUL character";
                return false;
            }
            address = new DatabaseAddress { Kind = DatabaseKind.Sqlite, Path = System.IO.Path.GetFullPath(path, workingDirectory) };
            return true;
        }
        if (text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
            return TryParsePostgreSql(text, out address, out error);
        if (text.StartsWith("mysql://", StringComparison.OrdinalIgnoreCase))
        {
            error = "mysql is not supported; use sqlite:///path or postgresql://user:password@host/database";
            return false;
        }
        error = "must be sqlite:///path/file.sql or postgresql://user:password@host/database";
        return false;
    }

    private static bool TryParsePostgreSql(string text, out DatabaseAddress address, out string error)
    {
        address = null!;
        error = "";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            error = "postgresql:// needs a host: postgresql://user:password@host/database";
            return false;
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            error = "postgresql:// needs one database name: postgresql://user:password@host/database";
            return false;
        }
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            int colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        address = new DatabaseAddress
        {
            Kind = DatabaseKind.PostgreSql,
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPostgreSqlPort : uri.Port,
            User = user,
            Password = password,
            Database = database,
        };
        return true;
    }
}
