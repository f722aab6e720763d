namespace MailerQ.Www.Auth.Tests;

public sealed class AuthUrlTests
{
    [Theory]
    [InlineData("file:///etc/users.txt", "file", "/etc/users.txt")]
    [InlineData("HardCoded://a:b", "hardcoded", "a:b")]
    [InlineData("ldap+x.y-z://h", "ldap+x.y-z", "h")]
    public void Splits_scheme_and_rest(string value, string scheme, string rest)
    {
        Assert.True(AuthUrl.TrySplit(value, out var s, out var r));
        Assert.Equal(scheme, s);
        Assert.Equal(rest, r);
    }

    [Theory]
    [InlineData("")]
    [InlineData("file:/etc/users.txt")]
    [InlineData("://x")]
    [InlineData("1ab://x")]
    [InlineData("fi le://x")]
    [InlineData("/etc/users.txt")]
    public void Refuses_values_without_a_scheme(string value) =>
        Assert.False(AuthUrl.TrySplit(value, out _, out _));

    [Theory]
    [InlineData("file:///etc/mailerq/users.txt", "/etc/mailerq/users.txt")]
    [InlineData("file://localhost/etc/users.txt", "/etc/users.txt")]
    [InlineData("exec:///opt/my%20auth/check", "/opt/my auth/check")]
    [InlineData("file:///etc/../etc/users.txt", "/etc/users.txt")]
    public void Local_paths_are_absolute_and_decoded(string value, string path)
    {
        Assert.True(AuthUrl.TryGetLocalPath(value, out var p, out var problem), problem);
        Assert.Equal(path, p);
    }

    [Theory]
    [InlineData("file://users.txt", "three slashes")]
    [InlineData("file:///etc/users.txt?x=1", "no query")]
    [InlineData("file:///etc/users%zz", "two hex digits")]
    [InlineData("file:///etc/users%00", "NUL")]
    public void Bad_local_paths_say_why(string value, string reason)
    {
        Assert.False(AuthUrl.TryGetLocalPath(value, out _, out var problem));
        Assert.Contains(reason, problem);
    }
}
