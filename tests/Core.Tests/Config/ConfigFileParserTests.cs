using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Core.Tests.Config;

public sealed class ConfigFileParserTests
{
    private static (List<ConfigEntry> Entries, string[] Errors) Parse(string text)
    {
        var diagnostics = new ConfigDiagnostics();
        var entries = ConfigFileParser.Parse(text, "/tmp/x.txt", diagnostics);
        return (entries, DiagnosticLines.Of(diagnostics));
    }

    [Fact]
    public void Reads_key_value_lines_with_file_and_line()
    {
        var (entries, errors) = Parse("www-port: 8485\nwww-dir: /srv/www\n");

        Assert.Empty(errors);
        Assert.Equal(
            [
                new ConfigEntry("www-port", "8485", ConfigOrigin.File("/tmp/x.txt", 1)),
                new ConfigEntry("www-dir", "/srv/www", ConfigOrigin.File("/tmp/x.txt", 2)),
            ],
            entries);
    }

    [Fact]
    public void Skips_comments_and_blank_lines_but_counts_them_for_line_numbers()
    {
        var (entries, errors) = Parse("# MailerQ config\n\n   \n   # indented comment\nwww-port: 80\n");

        Assert.Empty(errors);
        var entry = Assert.Single(entries);
        Assert.Equal(ConfigOrigin.File("/tmp/x.txt", 5), entry.Origin);
    }

    [Fact]
    public void Trims_padding_around_key_and_value_and_lower_cases_the_key()
    {
        // MailerQ's docs align values with spaces: "www-port:               8485".
        var (entries, _) = Parse("  WWW-Port :\t   8485   \n");

        var entry = Assert.Single(entries);
        Assert.Equal("www-port", entry.Key);
        Assert.Equal("8485", entry.Value);
    }

    [Fact]
    public void Keeps_everything_after_the_first_colon_in_the_value()
    {
        var (entries, _) = Parse("www-auth: ldap://ldap.example:389/dc=example,dc=com\n");

        Assert.Equal("ldap://ldap.example:389/dc=example,dc=com", Assert.Single(entries).Value);
    }

    [Fact]
    public void Hash_after_a_value_is_part_of_the_value()
    {
        var (entries, _) = Parse("www-password: secret#1\n");

        Assert.Equal("secret#1", Assert.Single(entries).Value);
    }

    [Fact]
    public void Empty_value_is_kept_as_empty_string()
    {
        var (entries, errors) = Parse("www-secure-port:\n");

        Assert.Empty(errors);
        Assert.Equal("", Assert.Single(entries).Value);
    }

    [Fact]
    public void Keeps_repeated_keys_in_file_order()
    {
        var (entries, _) = Parse("www-auth: file:///a.txt\nwww-port: 1\nwww-auth: ldap://h/dc=x\nwww-auth: radius://id:s@h:1812\n");

        Assert.Equal(
            ["file:///a.txt", "1", "ldap://h/dc=x", "radius://id:s@h:1812"],
            entries.ConvertAll(e => e.Value));
        Assert.Equal([1, 2, 3, 4], entries.ConvertAll(e => e.Origin.Line));
    }

    [Fact]
    public void Reports_file_and_line_for_a_line_without_colon()
    {
        var (entries, errors) = Parse("www-port: 80\nthis is not a setting\n");

        Assert.Single(entries);
        Assert.Equal(["/tmp/x.txt:2: syntax: expected \"key: value\""], errors);
    }

    [Fact]
    public void Rejects_equals_sign_as_separator()
    {
        var (entries, errors) = Parse("www-port = 8485\n");

        Assert.Empty(entries);
        Assert.Equal(["/tmp/x.txt:1: syntax: expected \"key: value\""], errors);
    }

    [Fact]
    public void Reports_empty_key()
    {
        var (_, errors) = Parse("\n: 8485\n");

        Assert.Equal(["/tmp/x.txt:2: syntax: empty key before \":\""], errors);
    }

    [Fact]
    public void Reports_key_with_white_space_or_equals()
    {
        var (_, errors) = Parse("www port: 1\nwww-url = http://host:8485\n");

        Assert.Equal(
            [
                "/tmp/x.txt:1: syntax: \"www port\" is not a key (letters, digits, \"-\" and \"_\")",
                "/tmp/x.txt:2: syntax: \"www-url = http\" is not a key (letters, digits, \"-\" and \"_\")",
            ],
            errors);
    }

    [Fact]
    public void Reports_every_bad_line_not_just_the_first()
    {
        var (entries, errors) = Parse("one\nwww-port: 1\ntwo\n: x\nthree\n");

        Assert.Single(entries);
        Assert.Equal(4, errors.Length);
        Assert.Equal([1, 3, 4, 5], Array.ConvertAll(errors, e => int.Parse(e.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Handles_crlf_line_endings_bom_and_missing_final_newline()
    {
        var (entries, errors) = Parse("\uFEFFwww-port: 80\r\n# c\r\nwww-dir: www");

        Assert.Empty(errors);
        Assert.Equal(["80", "www"], entries.ConvertAll(e => e.Value));
        Assert.Equal([1, 3], entries.ConvertAll(e => e.Origin.Line));
    }

    [Fact]
    public void Empty_text_has_no_entries_and_no_errors()
    {
        var (entries, errors) = Parse("");

        Assert.Empty(entries);
        Assert.Empty(errors);
    }
}
