namespace MailerQ.Www.Http.Tests.Parsing;

/// <summary>
/// Seeded mutations of the corpus: whatever the bytes, the parsers never throw and reach the same
/// result however the input is split.
/// </summary>
public sealed class RequestParserMutationTests
{
    private const int MaxInputLength = 200;

    /// <summary>Bytes that matter to the grammar, plus ordinary and high ones.</summary>
    private static readonly byte[] Interesting = [(byte)'\r', (byte)'\n', 0, (byte)' ', (byte)'\t', (byte)':', (byte)';', (byte)',', (byte)'/', (byte)'?', (byte)'0', (byte)'f', (byte)'a', 0x7F, 0x80, 0xFF];

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Mutated_requests_give_identical_results_however_split(int seed)
    {
        var random = new Random(seed);
        string[] small = [.. RequestCorpus.Valid.Values.Where(v => v.Length <= MaxInputLength)];
        for (int round = 0; round < 5; round++)
        {
            byte[] input = Sequences.Bytes(small[random.Next(small.Length)]);
            int mutations = random.Next(1, 4);
            for (int m = 0; m < mutations; m++)
            {
                int at = random.Next(input.Length);
                switch (random.Next(3))
                {
                    case 0:
                        input[at] = Interesting[random.Next(Interesting.Length)];
                        break;
                    case 1:
                        input = [.. input[..at], .. input[(at + 1)..]];
                        break;
                    default:
                        input = [.. input[..at], Interesting[random.Next(Interesting.Length)], .. input[at..]];
                        break;
                }
            }

            SplitHarness.AssertSameEverywhere(input);
        }
    }
}
