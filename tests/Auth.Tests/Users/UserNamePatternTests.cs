using MailerQ.Www.Auth.Users;

namespace MailerQ.Www.Auth.Tests.Users;

public sealed class UserNamePatternTests
{
    [Theory]
    [InlineData("mailerq", "mailerq", true)]
    [InlineData("mailerq", "mailerq2", false)]
    [InlineData("mailerq", "MailerQ", false)]
    [InlineData("client*", "client", true)]
    [InlineData("client*", "client42", true)]
    [InlineData("client*", "xclient", false)]
    [InlineData("*", "anything", true)]
    [InlineData("c?ient", "client", true)]
    [InlineData("c?ient", "cient", false)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "aXbYbZ", false)]
    [InlineData("*ops", "devops", true)]
    [InlineData("**", "", true)]
    public void Matches_exact_names_and_globs(string pattern, string name, bool expected) =>
        Assert.Equal(expected, new UserNamePattern(pattern).Matches(name));

    [Fact]
    public void Pathological_globs_stay_linear()
    {
        var pattern = new UserNamePattern(string.Concat(Enumerable.Repeat("a*", 16)) + "b");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(pattern.Matches(new string('a', 32)));
        Assert.True(sw.ElapsedMilliseconds < 100);
    }

    [Theory]
    [InlineData("alice", true)]
    [InlineData("client.01_x-y", true)]
    [InlineData("machine$", true)]
    [InlineData("-rf", false)]
    [InlineData("a b", false)]
    [InlineData("../etc", false)]
    [InlineData("$(id)", false)]
    [InlineData("a$b", false)]
    [InlineData("jürgen", false)]
    [InlineData("", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", false)]
    public void Only_plain_account_names_go_to_PAM(string name, bool expected) =>
        Assert.Equal(expected, UsersAuthBackend.IsAccountName(name));
}
