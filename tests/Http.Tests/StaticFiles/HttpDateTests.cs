using System.Text;
using MailerQ.Www.Http.StaticFiles;

namespace MailerQ.Www.Http.Tests.StaticFiles;

public sealed class HttpDateTests
{
    [Fact]
    public void Formats_the_rfc_9110_example()
    {
        var bytes = new byte[HttpDate.Length];

        Assert.True(HttpDate.TryFormat(new DateTime(1994, 11, 6, 8, 49, 37, DateTimeKind.Utc), bytes));
        Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void Format_and_parse_round_trip_across_days_and_months()
    {
        var bytes = new byte[HttpDate.Length];
        for (var day = new DateTime(2023, 12, 25, 23, 59, 59, DateTimeKind.Utc); day.Year < 2025; day = day.AddDays(13).AddSeconds(7))
        {
            Assert.True(HttpDate.TryFormat(day, bytes));
            Assert.True(HttpDate.TryParse(bytes, out var parsed));
            Assert.Equal(day, parsed);
        }
    }

    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37")]
    [InlineData("  Sun, 06 Nov 1994 08:49:37 GMT\t", "1994-11-06T08:49:37")]
    [InlineData("Thu, 29 Feb 2024 00:00:00 GMT", "2024-02-29T00:00:00")]
    [InlineData("Fri, 31 Dec 9999 23:59:59 GMT", "9999-12-31T23:59:59")]
    public void Parses_imf_fixdate(string value, string expected)
    {
        Assert.True(HttpDate.TryParse(Encoding.ASCII.GetBytes(value), out var parsed));
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), parsed);
        Assert.Equal(DateTimeKind.Utc, parsed.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("Sunday, 06-Nov-94 08:49:37 GMT")]      // rfc850: not parsed, so ignored
    [InlineData("Sun Nov  6 08:49:37 1994")]            // asctime: not parsed, so ignored
    [InlineData("Mon, 06 Nov 1994 08:49:37 GMT")]       // wrong day name for the date
    [InlineData("sun, 06 Nov 1994 08:49:37 GMT")]       // names are case-sensitive
    [InlineData("Sun, 06 nov 1994 08:49:37 GMT")]
    [InlineData("Sun, 06 Nov 1994 08:49:37 UTC")]
    [InlineData("Sun, 6 Nov 1994 08:49:37 GMT")]
    [InlineData("Sun, 06 Nov 1994 8:49:37 GMT")]
    [InlineData("Thu, 30 Feb 2024 00:00:00 GMT")]
    [InlineData("Sun, 06 Nov 1994 24:00:00 GMT")]
    [InlineData("Sun, 06 Nov 1994 08:60:00 GMT")]
    [InlineData("Sun, 06 Nov 1994 08:49:60 GMT")]
    [InlineData("Sat, 00 Jan 2000 00:00:00 GMT")]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMTx")]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT")]
    [InlineData("Sun, 06 Nov 19a4 08:49:37 GMT")]
    [InlineData("Sun, 06 Nov 1994 08:49:3- GMT")]
    public void Rejects_anything_but_a_valid_imf_fixdate(string value)
    {
        Assert.False(HttpDate.TryParse(Encoding.ASCII.GetBytes(value), out _));
    }
}
