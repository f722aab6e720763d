using MailerQ.Www.Http.Parsing;

namespace MailerQ.Www.Http.Tests.Parsing;

/// <summary>What a simulated connection saw: heads, bodies, and how it stopped.</summary>
internal sealed class Transcript
{
    public List<HeadSnapshot> Heads { get; } = [];

    public List<string> Bodies { get; } = [];

    /// <summary>Every event in order, as text: two runs had identical results when these are equal.</summary>
    public List<string> Events { get; } = [];

    public RequestRejection Rejection { get; set; }

    /// <summary>Bytes still unconsumed at the end (an incomplete line or body).</summary>
    public long Leftover { get; set; }

    public bool Failed => Rejection != RequestRejection.None;

    public HeadSnapshot SingleHead => Assert.Single(Heads);

    public override string ToString() => string.Join("\n", Events);
}
