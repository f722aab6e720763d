using MailerQ.Www.Auth.Ldap;
using MailerQ.Www.Auth.Ldap.Ber;

namespace MailerQ.Www.AuthNet.Tests.Ldap;

public sealed class LdapResponseDecoderTests
{
    // BindResponse { messageID 2, resultCode 49 invalidCredentials, matchedDN "", diagnosticMessage "" }
    private static readonly byte[] InvalidCredentials = Convert.FromHexString("300C02010261070A013104000400");

    [Fact]
    public void Decodes_a_bind_response()
    {
        Assert.Equal(BerStatus.Done, LdapResponseDecoder.Decode(InvalidCredentials, out var response, out int consumed));
        Assert.Equal(InvalidCredentials.Length, consumed);
        Assert.Equal(new LdapResponse(2, LdapTag.BindResponse, 49, "", null), response);
    }

    [Fact]
    public void Needs_more_at_every_split_and_decodes_the_whole()
    {
        byte[] message = Build(0x61, 2, 0, "", "not here boy");
        for (int cut = 0; cut < message.Length; cut++)
            Assert.Equal(BerStatus.NeedMore, LdapResponseDecoder.Decode(message.AsSpan(0, cut), out _, out _));
        Assert.Equal(BerStatus.Done, LdapResponseDecoder.Decode(message, out var response, out _));
        Assert.Equal("not here boy", response.DiagnosticMessage);
    }

    [Fact]
    public void Decodes_non_minimal_long_form_lengths_as_active_directory_sends_them()
    {
        // 0x84 + four length bytes on both the message and the BindResponse.
        byte[] message = Convert.FromHexString("308400000010020101618400000007" + "0A0100" + "0400" + "0400");
        Assert.Equal(BerStatus.Done, LdapResponseDecoder.Decode(message, out var response, out int consumed));
        Assert.Equal(message.Length, consumed);
        Assert.Equal(0, response.ResultCode);
        Assert.Equal(1, response.MessageId);
    }

    [Fact]
    public void Leaves_following_bytes_for_the_next_message()
    {
        byte[] two = [.. InvalidCredentials, .. InvalidCredentials];
        Assert.Equal(BerStatus.Done, LdapResponseDecoder.Decode(two, out _, out int consumed));
        Assert.Equal(InvalidCredentials.Length, consumed);
    }

    [Fact]
    public void Decodes_an_extended_response_with_its_name_and_skips_controls()
    {
        // ExtendedResponse { success, "", "", responseName [10] "1.3.6.1.4.1.1466.20037" } + Controls [0] {}
        byte[] name = "1.3.6.1.4.1.1466.20037"u8.ToArray();
        byte[] op = [0x78, (byte)(7 + 2 + name.Length), 0x0A, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00, 0x8A, (byte)name.Length, .. name];
        byte[] body = [0x02, 0x01, 0x01, .. op, 0xA0, 0x00];
        byte[] message = [0x30, (byte)body.Length, .. body];

        Assert.Equal(BerStatus.Done, LdapResponseDecoder.Decode(message, out var response, out _));
        Assert.Equal(LdapTag.ExtendedResponse, response.Operation);
        Assert.Equal("1.3.6.1.4.1.1466.20037", response.ResponseName);
    }

    [Fact]
    public void Decodes_a_referral_and_keeps_a_long_diagnostic_short()
    {
        string diagnostic = new('d', 1000);
        byte[] message = Build(0x61, 2, 10, "", diagnostic, referral: true);
        Assert.Equal(BerStatus.Done, LdapResponseDecoder.Decode(message, out var response, out _));
        Assert.Equal(10, response.ResultCode);
        Assert.Equal(LdapLimits.MaxDiagnosticChars, response.DiagnosticMessage.Length);
    }

    [Theory]
    [InlineData("020101")]                             // not a SEQUENCE
    [InlineData("3080020102610700")]                   // indefinite length (RFC 4511 §5.1 forbids it)
    [InlineData("3003040102")]                         // messageID is not an INTEGER
    [InlineData("3003020102")]                         // no protocolOp
    [InlineData("300502010263 00")]                    // a SearchRequest-like op, not a response
    [InlineData("3007020102610204 00")]                // resultCode missing
    [InlineData("300902010261040A013104")]             // inner length overruns its parent
    [InlineData("300C0201026108 0A0131 0400 0400")]    // the op claims more bytes than the message holds
    [InlineData("300502010261 00")]                    // empty BindResponse
    [InlineData("30080201FF61030A0100")]               // negative messageID
    [InlineData("3F0100")]                             // high tag number form
    [InlineData("300D0205010000000061040A010004")]     // messageID over 4 bytes
    public void Refuses_malformed_responses(string hex)
    {
        byte[] message = Convert.FromHexString(hex.Replace(" ", ""));
        Assert.Equal(BerStatus.Malformed, LdapResponseDecoder.Decode(message, out _, out _));
    }

    [Theory]
    [InlineData("3085")]               // a 5-byte length: over 4 GiB
    [InlineData("30844000000002")]     // 1 GiB announced, refused before any of it arrives
    [InlineData("30830100010201")]     // just over MaxResponseBytes (65537 > 16 KiB)
    public void Refuses_oversized_responses_before_buffering(string hex)
    {
        byte[] message = Convert.FromHexString(hex);
        Assert.Equal(BerStatus.TooLarge, LdapResponseDecoder.Decode(message, out _, out _));
    }

    [Fact]
    public void Refuses_a_response_one_byte_over_the_limit()
    {
        int content = LdapLimits.MaxResponseBytes + 1;
        byte[] header = [0x30, 0x82, (byte)(content >> 8), (byte)content];
        Assert.Equal(BerStatus.TooLarge, LdapResponseDecoder.Decode(header, out _, out _));
    }

    private static byte[] Build(byte operation, int messageId, int resultCode, string matchedDn, string diagnostic, bool referral = false)
    {
        static byte[] Tlv(byte tag, byte[] content) => content.Length switch
        {
            < 0x80 => [tag, (byte)content.Length, .. content],
            < 0x100 => [tag, 0x81, (byte)content.Length, .. content],
            _ => [tag, 0x82, (byte)(content.Length >> 8), (byte)content.Length, .. content],
        };
        byte[] result = [.. Tlv(0x0A, [(byte)resultCode]), .. Tlv(0x04, System.Text.Encoding.UTF8.GetBytes(matchedDn)), .. Tlv(0x04, System.Text.Encoding.UTF8.GetBytes(diagnostic))];
        if (referral)
            result = [.. result, .. Tlv(0xA3, Tlv(0x04, "ldap://other.example.org/"u8.ToArray()))];
        return Tlv(0x30, [.. Tlv(0x02, [(byte)messageId]), .. Tlv(operation, result)]);
    }
}
