using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace MailerQ.Www.Smtp.Settings;

/// <summary>
/// What the schema must look like after every migration: the migrations run once on an in-memory SQLite database
/// and its catalogue is read back. So the check (<c>database-validate</c>) and <c>--repair-database</c> follow the
/// migrations by construction instead of a second, hand-kept description of the tables.
/// </summary>
internal sealed partial class SchemaReference
{
    private static readonly Lazy<SchemaReference> Instance = new(Build);

    private SchemaReference(Dictionary<string, SchemaColumn[]> tables, Dictionary<string, string> creates)
    {
        Tables = tables;
        Creates = creates;
    }

    public static SchemaReference Current => Instance.Value;

    /// <summary>Table → its columns, in order.</summary>
    public IReadOnlyDictionary<string, SchemaColumn[]> Tables { get; }

    /// <summary>Table → the migration statement that creates it (still with <c>{id}</c>).</summary>
    public IReadOnlyDictionary<string, string> Creates { get; }

    [GeneratedRegex(@"^\s*CREATE TABLE\s+(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();

    private static SchemaReference Build()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var creates = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (_, statements) in SettingsSchema.Migrations)
        {
            foreach (var statement in statements)
            {
                using var cmd = connection.CreateCommand();
                cmd.CommandText = SqlDialect.Sqlite.Ddl(statement);
                cmd.ExecuteNonQuery();
                var match = CreateTable().Match(statement);
                if (match.Success) creates[match.Groups[1].Value] = statement;
            }
        }
        var tables = new Dictionary<string, SchemaColumn[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in creates.Keys)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(@t)";
            cmd.Parameters.AddWithValue("@t", table);
            using var r = cmd.ExecuteReader();
            var columns = new List<SchemaColumn>();
            while (r.Read())
                columns.Add(new SchemaColumn(r.GetString(0), r.GetString(1), r.GetInt64(2) != 0, r.IsDBNull(3) ? null : r.GetString(3), r.GetInt64(4) != 0));
            tables[table] = [.. columns];
        }
        return new SchemaReference(tables, creates);
    }
}
