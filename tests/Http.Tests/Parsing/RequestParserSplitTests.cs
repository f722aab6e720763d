using MailerQ.Www.Http.Parsing;

namespace MailerQ.Www.Http.Tests.Parsing;

public sealed class RequestParserSplitTests
{
    [Theory]
    [MemberData(nameof(RequestCorpus.AllNames), MemberType = typeof(RequestCorpus))]
    public void Gives_identical_results_however_the_input_is_split(string name)
    {
        SplitHarness.AssertSameEverywhere(RequestCorpus.Input(name));
    }

    [Theory]
    [MemberData(nameof(RequestCorpus.MalformedNames), MemberType = typeof(RequestCorpus))]
    public void Rejects_malformed_input_with_its_reason_and_status(string name)
    {
        var (input, reason) = RequestCorpus.Malformed[name];
        Transcript result = SplitHarness.AssertSameEverywhere(input);
        Assert.Equal(reason, result.Rejection);
        Assert.Equal($"error {reason} {reason.StatusCode()}", result.Events[^1]);
    }

    [Theory]
    [MemberData(nameof(RequestCorpus.ValidNames), MemberType = typeof(RequestCorpus))]
    public void Accepts_well_formed_input(string name)
    {
        Transcript result = SplitHarness.AssertSameEverywhere(RequestCorpus.Valid[name]);
        Assert.False(result.Failed, result.ToString());
    }
}
