using System.Text;
using MailerQ.Www.Http.StaticFiles;

namespace MailerQ.Www.Http.Tests.StaticFiles;

public sealed class ETagMatcherTests
{
    // The last modification of the entry used below: 1994-11-06 08:49:37.5 UTC.
    private static readonly DateTime Modified = new DateTime(1994, 11, 6, 8, 49, 37, DateTimeKind.Utc).AddMilliseconds(500);

    [Theory]
    [InlineData("\"abc\"", "\"abc\"", true)]
    [InlineData("W/\"abc\"", "\"abc\"", true)]  // weak comparison: W/ ignored on either side
    [InlineData("\"abc\"", "W/\"abc\"", true)]
    [InlineData("W/\"abc\"", "W/\"abc\"", true)]
    [InlineData("\"abd\"", "\"abc\"", false)]
    [InlineData("\"ABC\"", "\"abc\"", false)]  // opaque-tags compare octet by octet
    [InlineData("*", "\"abc\"", true)]
    [InlineData(" * ", "\"abc\"", true)]
    [InlineData("\"x\", \"abc\"", "\"abc\"", true)]
    [InlineData("\"x\",\"abc\"", "\"abc\"", true)]
    [InlineData("\"x\" ,\t W/\"abc\" , \"y\"", "\"abc\"", true)]
    [InlineData(",\"abc\",", "\"abc\"", true)]  // empty list elements are allowed
    [InlineData(" ,, \"x\" ,, \"abc\" ,, ", "\"abc\"", true)]
    [InlineData("\t\"abc\"\t", "\"abc\"", true)]
    [InlineData("\"x\", \"y\"", "\"abc\"", false)]
    [InlineData("", "\"abc\"", false)]
    [InlineData(" , ", "\"abc\"", false)]
    [InlineData("abc", "\"abc\"", false)]  // unquoted: malformed
    [InlineData("w/\"abc\"", "\"abc\"", false)]  // weak prefix is case-sensitive
    [InlineData("W/abc", "\"abc\"", false)]
    [InlineData("\"abc", "\"abc\"", false)]
    [InlineData("\"abc\"x", "\"abc\"", false)]
    [InlineData("\"abc\" \"abc\"", "\"abc\"", false)]  // list without comma
    [InlineData("*, \"abc\"", "\"abc\"", false)]  // "*" only stands alone
    [InlineData("\"abc\", *", "\"abc\"", false)]
    [InlineData("\"abc\", garbage", "\"abc\"", false)]  // a malformed field never matches
    [InlineData("\"ab c\"", "\"abc\"", false)]
    [InlineData("\"\"", "\"abc\"", false)]
    [InlineData("W/", "\"abc\"", false)]
    public void If_none_match_uses_weak_comparison(string field, string etag, bool expected)
    {
        Assert.Equal(expected, ETagMatcher.IfNoneMatchHits(Encoding.ASCII.GetBytes(field), Encoding.ASCII.GetBytes(etag)));
    }

    [Fact]
    public void If_none_match_accepts_obs_text_in_tags()
    {
        byte[] tag = [(byte)'"', 0xC3, 0xA9, (byte)'"'];

        Assert.True(ETagMatcher.IfNoneMatchHits(tag, tag));
    }

    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT", true)]     // equal at second precision
    [InlineData("Sun, 06 Nov 1994 08:49:38 GMT", true)]
    [InlineData("Mon, 07 Nov 1994 00:00:00 GMT", true)]
    [InlineData("Sun, 06 Nov 1994 08:49:36 GMT", false)]
    [InlineData("Sat, 01 Jan 1994 00:00:00 GMT", false)]
    [InlineData("Sunday, 06-Nov-94 08:49:37 GMT", false)]   // not an IMF-fixdate: ignored
    [InlineData("garbage", false)]
    [InlineData("", false)]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 00:00:00 GMT", false)]
    public void If_modified_since_compares_at_second_precision(string field, bool notModified)
    {
        Assert.Equal(notModified, ETagMatcher.NotModifiedSince(Encoding.ASCII.GetBytes(field), Modified));
    }

    [Fact]
    public void If_none_match_decides_alone_when_present()
    {
        var entry = NewEntry();
        byte[] since = Encoding.ASCII.GetBytes("Mon, 07 Nov 1994 00:00:00 GMT");

        Assert.False(ETagMatcher.IsNotModified(entry, true, "\"other\""u8, true, since));
        Assert.True(ETagMatcher.IsNotModified(entry, true, entry.ETag.Span, true, "garbage"u8));
        Assert.False(ETagMatcher.IsNotModified(entry, true, ""u8, true, since));
        Assert.True(ETagMatcher.IsNotModified(entry, false, default, true, since));
        Assert.False(ETagMatcher.IsNotModified(entry, false, default, true, "Sat, 01 Jan 1994 00:00:00 GMT"u8));
        Assert.False(ETagMatcher.IsNotModified(entry, false, default, false, default));
    }

    private static StaticFileEntry NewEntry() =>
        new("a.txt", "/www/a.txt", 3, Modified.Ticks, DateTime.UtcNow, [1, 2, 3], generation: 0, verifiedAt: 0);
}
