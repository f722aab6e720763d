using System.Text;
using MailerQ.Www.Http.WebSockets;

namespace MailerQ.Www.Http.Tests.WebSockets;

public sealed class Utf8ValidatorTests
{
    private const string Mixed = "ascii é € 𝄞 ü 日本語 \u007f \u0080 \uffff \U0010FFFF end";

    private static bool Validate(byte[] bytes, params int[] cuts)
    {
        var validator = new Utf8Validator();
        int start = 0;
        foreach (int cut in cuts.Append(bytes.Length))
        {
            if (!validator.Append(bytes.AsSpan(start, cut - start))) return false;
            start = cut;
        }
        return validator.IsComplete;
    }

    [Fact]
    public void Valid_text_passes_split_at_every_pair_of_offsets()
    {
        var bytes = Encoding.UTF8.GetBytes(Mixed);
        for (int a = 0; a <= bytes.Length; a++)
        {
            for (int b = a; b <= bytes.Length; b++)
                Assert.True(Validate(bytes, a, b), $"cuts {a},{b}");
        }
    }

    [Fact]
    public void Valid_text_passes_one_byte_at_a_time()
    {
        var bytes = Encoding.UTF8.GetBytes(Mixed);
        Assert.True(Validate(bytes, Enumerable.Range(1, bytes.Length - 1).ToArray()));
    }

    public static TheoryData<string, byte[]> Invalid => new()
    {
        { "lone continuation", [0x61, 0x80, 0x61] },
        { "overlong 2-byte", [0xC0, 0x80] },
        { "overlong C1", [0xC1, 0xBF] },
        { "overlong 3-byte", [0xE0, 0x80, 0x80] },
        { "overlong 4-byte", [0xF0, 0x80, 0x80, 0x80] },
        { "surrogate D800", [0xED, 0xA0, 0x80] },
        { "surrogate DFFF", [0xED, 0xBF, 0xBF] },
        { "over U+10FFFF", [0xF4, 0x90, 0x80, 0x80] },
        { "F5 lead", [0xF5, 0x80, 0x80, 0x80] },
        { "FF", [0xFF] },
        { "lead then ascii", [0xE2, 0x82, 0x41] },
        { "autobahn 6.3.1", [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64] },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_sequences_fail_wherever_the_input_is_cut(string name, byte[] bytes)
    {
        _ = name;
        Assert.False(Validate(bytes));
        for (int cut = 0; cut <= bytes.Length; cut++)
            Assert.False(Validate(bytes, cut), $"cut {cut}");
        Assert.False(Validate(bytes, Enumerable.Range(1, bytes.Length - 1).ToArray()));
    }

    [Fact]
    public void A_piece_that_ends_inside_a_character_is_incomplete_not_invalid()
    {
        var validator = new Utf8Validator();
        Assert.True(validator.Append([0xF0, 0x9D]));
        Assert.False(validator.IsComplete);
        Assert.True(validator.Append([0x84]));
        Assert.True(validator.Append([0x9E]));
        Assert.True(validator.IsComplete);
    }

    [Fact]
    public void An_impossible_prefix_fails_at_once_before_the_message_ends()
    {
        // RFC 6455 §8.1 fail fast: 0xED 0xA0 can never become valid, whatever follows.
        var validator = new Utf8Validator();
        Assert.False(validator.Append([0x61, 0xED, 0xA0]));
    }
}
