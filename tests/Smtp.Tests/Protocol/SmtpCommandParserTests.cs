using System.Text;
using MailerQ.Www.Smtp.Protocol;

namespace MailerQ.Www.Smtp.Tests.Protocol;

public sealed class SmtpCommandParserTests
{
    [Theory]
    [InlineData("EHLO x", "Ehlo", "x")]
    [InlineData("ehlo x", "Ehlo", "x")]
    [InlineData("HeLo  a.b ", "Helo", "a.b")]
    [InlineData("MAIL FROM:<a@b>", "Mail", "FROM:<a@b>")]
    [InlineData("rcpt TO:<a@b>", "Rcpt", "TO:<a@b>")]
    [InlineData("DATA", "Data", "")]
    [InlineData("BDAT 10 LAST", "Bdat", "10 LAST")]
    [InlineData("RSET", "Rset", "")]
    [InlineData("NOOP", "Noop", "")]
    [InlineData("QUIT", "Quit", "")]
    [InlineData("VRFY bob", "Vrfy", "bob")]
    [InlineData("STARTTLS", "StartTls", "")]
    [InlineData("AUTH PLAIN", "Auth", "PLAIN")]
    public void Recognises_verbs_case_insensitively(string line, string kind, string argument)
    {
        var bytes = Encoding.ASCII.GetBytes(line);
        Assert.True(SmtpCommandParser.TryMake(bytes, out var command));
        Assert.Equal(kind, command.Kind.ToString());
        Assert.Equal(argument, Encoding.ASCII.GetString(command.Argument(bytes)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("FOO")]
    [InlineData("MAILX FROM:<a@b>")]
    [InlineData("HEL\u000fO")]
    [InlineData("STARTTLSX")]
    public void Refuses_unknown_verbs(string line)
    {
        Assert.False(SmtpCommandParser.TryMake(Encoding.Latin1.GetBytes(line), out _));
    }

    [Theory]
    [InlineData("FROM:<a@b>", "Ok", "a@b")]
    [InlineData("FROM: <a@b>", "Ok", "a@b")]
    [InlineData("FROM:<>", "Ok", "")]
    [InlineData("FROM:<@relay:a@b>", "Ok", "a@b")]
    [InlineData("FROM:<a@b> SIZE=12 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=x+2By", "Ok", "a@b")]
    [InlineData("FROM:a@b", "Syntax", "")]
    [InlineData("FROM:<a@b> SIZE=x", "BadParameter", "")]
    [InlineData("FROM:<a@b> BODY=BINARYMIME", "BadParameter", "")]
    [InlineData("FROM:<a@b> FOO=1", "UnknownParameter", "")]
    [InlineData("FROM:<jörg@b>", "NeedsSmtpUtf8", "")]
    [InlineData("FROM:<jörg@b> SMTPUTF8", "Ok", "jörg@b")]
    [InlineData("TO:<a@b>", "Syntax", "")]
    public void Parses_MAIL_arguments(string argument, string status, string sender)
    {
        var result = MailArguments.TryParse(Encoding.UTF8.GetBytes(argument), dsn: true, out var mail);
        Assert.Equal(status, result.ToString());
        if (status == "Ok") Assert.Equal(sender, mail.Sender);
    }

    [Fact]
    public void A_path_over_256_octets_is_refused()
    {
        var argument = "FROM:<" + new string('a', 250) + "@b.example>";
        Assert.Equal(PathStatus.TooLong, MailArguments.TryParse(Encoding.ASCII.GetBytes(argument), true, out _));
    }

    [Theory]
    [InlineData("TO:<a@b> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@b", "Ok")]
    [InlineData("TO:<postmaster>", "Ok")]
    [InlineData("TO:<bob>", "Syntax")]
    [InlineData("TO:<>", "Syntax")]
    [InlineData("TO:<a@b> NOTIFY=SOMETIMES", "BadParameter")]
    public void Parses_RCPT_arguments(string argument, string status)
    {
        Assert.Equal(status, RcptArguments.TryParse(Encoding.ASCII.GetBytes(argument), dsn: true, smtpUtf8: false, out _).ToString());
    }
}
