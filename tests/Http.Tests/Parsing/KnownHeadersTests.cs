using System.Text;
using MailerQ.Www.Http.Parsing;

namespace MailerQ.Www.Http.Tests.Parsing;

public sealed class KnownHeadersTests
{
    public static TheoryData<string> Names =>
    [
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Expect", "Content-Type", "Accept",
        "Accept-Encoding", "Authorization", "Cookie", "If-Modified-Since", "If-None-Match", "Origin",
        "Referer", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol", "Upgrade",
        "User-Agent", "X-CSRF-Token", "X-Requested-With",
    ];

    [Theory]
    [MemberData(nameof(Names))]
    public void Recognises_each_known_name_in_any_case(string name)
    {
        var expected = Enum.Parse<KnownHeader>(name.Replace("-", "", StringComparison.Ordinal), ignoreCase: true);
        foreach (string variant in (string[])[name, name.ToUpperInvariant(), name.ToLowerInvariant()])
        {
            Assert.True(KnownHeaders.TryLookup(Encoding.ASCII.GetBytes(variant), out KnownHeader found), variant);
            Assert.Equal(expected, found);
        }

        Assert.False(KnownHeaders.TryLookup(Encoding.ASCII.GetBytes(name + "x"), out _));
        Assert.False(KnownHeaders.TryLookup(Encoding.ASCII.GetBytes(name[..^1] + "_"), out _));
    }

    [Fact]
    public void The_list_names_every_known_header()
    {
        Assert.Equal(KnownHeaders.Count, Enum.GetValues<KnownHeader>().Length);
        Assert.Equal(KnownHeaders.Count, Names.Count);
    }
}
