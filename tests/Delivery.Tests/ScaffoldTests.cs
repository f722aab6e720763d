namespace MailerQ.Www.Delivery.Tests;

public sealed class ScaffoldTests
{
    [Fact]
    public void MimeKit_parses_a_message()
    {
        using var stream = new MemoryStream("From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n"u8.ToArray());
        var message = MimeKit.MimeMessage.Load(stream);
        Assert.Equal("hi", message.Subject);
    }
}
