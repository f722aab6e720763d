namespace MailerQ.Www.Smtp.Settings;

/// <summary>One column the migrations define: declared type, NOT NULL, default (SQL text) and whether it is the key.</summary>
internal sealed record SchemaColumn(string Name, string Type, bool NotNull, string? Default, bool PrimaryKey)
{
    /// <summary>
    /// The <c>ALTER TABLE … ADD COLUMN</c> text that puts it back. NOT NULL only with a default (rows already there need
    /// a value); a key column cannot be added to a table that has rows, so there is no text for it.
    /// </summary>
    public string? AddColumnSql(string table)
    {
        if (PrimaryKey) return null;
        var sql = $"ALTER TABLE {table} ADD COLUMN {Name} {Type}";
        if (Default is not null) sql += (NotNull ? " NOT NULL" : "") + " DEFAULT " + Default;
        return sql;
    }
}
