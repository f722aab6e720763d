using MailerQ.Www.Http.Parsing;

namespace MailerQ.Www.Http.Tests.Parsing;

public sealed class RequestRejectionTests
{
    [Fact]
    public void Maps_every_reason_to_its_status_code()
    {
        foreach (RequestRejection r in Enum.GetValues<RequestRejection>())
        {
            if (r == RequestRejection.None)
                continue;
            int expected = r switch
            {
                RequestRejection.RequestLineTooLong => 414,
                RequestRejection.HeadersTooLarge => 431,
                RequestRejection.UnsupportedHttpVersion => 505,
                RequestRejection.UnsupportedTransferEncoding => 501,
                RequestRejection.BodyTooLarge => 413,
                _ => 400,
            };
            Assert.Equal(expected, r.StatusCode());
        }
    }

    [Fact]
    public void Has_no_status_for_None()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RequestRejection.None.StatusCode());
    }

    [Fact]
    public void Every_malformed_reason_of_the_head_is_covered_by_the_corpus()
    {
        // Reasons that only the chunked decoder or the body limit produce are covered there.
        RequestRejection[] bodyOnly = [RequestRejection.None, RequestRejection.InvalidChunkTerminator, RequestRejection.ChunkExtensionTooLong, RequestRejection.BodyTooLarge, RequestRejection.RequestLineTooLong];
        var covered = RequestCorpus.Malformed.Values.Select(v => v.Reason).ToHashSet();
        foreach (RequestRejection r in Enum.GetValues<RequestRejection>())
        {
            if (!bodyOnly.Contains(r))
                Assert.True(covered.Contains(r), $"no corpus case for {r}");
        }
    }
}
