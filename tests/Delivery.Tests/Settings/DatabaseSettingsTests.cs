using MailerQ.Www.Core.Settings;

namespace MailerQ.Www.Delivery.Tests.Settings;

/// <summary><c>database-address</c> forms (5.13/database-access.md).</summary>
public sealed class DatabaseAddressTests
{
    [Fact]
    public void Three_slashes_is_an_absolute_sqlite_path()
    {
        Assert.True(DatabaseAddress.TryParse("sqlite:///var/lib/mailerq/settings.sql", "/tmp", out var a, out _));
        Assert.Equal((DatabaseKind.Sqlite, "/var/lib/mailerq/settings.sql"), (a.Kind, a.Path));
    }

    [Fact]
    public void Two_slashes_is_relative_to_the_working_directory()
    {
        Assert.True(DatabaseAddress.TryParse("sqlite://var/mailerq.sql", "/srv/mq", out var a, out _));
        Assert.Equal("/srv/mq/var/mailerq.sql", a.Path);
    }

    [Fact]
    public void The_default_lives_in_the_data_directory()
    {
        Assert.Equal("/var/lib/mailerq/mailerq.sql", DatabaseAddress.DefaultFor("/var/lib/mailerq").Path);
    }

    [Fact]
    public void Postgresql_urls_parse_with_user_password_host_port_and_database()
    {
        Assert.True(DatabaseAddress.TryParse("postgresql://mq:p%40ss@db.example:6543/mailerq", "/", out var a, out _));
        Assert.Equal((DatabaseKind.PostgreSql, "mq", "p@ss", "db.example", 6543, "mailerq"), (a.Kind, a.User, a.Password, a.Host, a.Port, a.Database));
        Assert.DoesNotContain("p@ss", a.ToString());
        Assert.True(DatabaseAddress.TryParse("postgresql://db/mailerq", "/", out a, out _));
        Assert.Equal(5432, a.Port);
    }

    [Theory]
    [InlineData("sqlite://")]
    [InlineData("postgresql://host/")]
    [InlineData("postgresql:///db")]
    [InlineData("mysql://u:p@h/db")]
    [InlineData("/var/lib/mailerq.sql")]
    public void Other_forms_are_refused_with_a_reason(string text)
    {
        Assert.False(DatabaseAddress.TryParse(text, "/", out _, out var error));
        Assert.NotEmpty(error);
    }
}
