using System.Buffers.Binary;
using System.Net;
using System.Text;
using MailerQ.Www.Auth.Radius;
using MailerQ.Www.AuthNet.Tests.Fixtures;

namespace MailerQ.Www.AuthNet.Tests.Radius;

public sealed class RadiusReplyVerifierTests
{
    private const string Secret = "xyzzy5461";
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(Secret);

    private static RadiusTestPacket Request()
    {
        byte[] authenticator = new byte[16];
        Random.Shared.NextBytes(authenticator);
        byte[] packet = new byte[RadiusLimits.MaxPacketBytes];
        int length = RadiusRequestEncoder.Write(packet, 99, authenticator, "bob"u8, "pw"u8, "nas"u8, IPAddress.Loopback, Key);
        return new RadiusTestPacket(packet[..length]);
    }

    private static RadiusReplyStatus Verify(RadiusTestPacket request, byte[] reply, out RadiusCode code) =>
        RadiusReplyVerifier.Verify(reply, request.Id, request.Authenticator, Key, out code);

    [Theory]
    [InlineData(2, "AccessAccept")]
    [InlineData(3, "AccessReject")]
    [InlineData(11, "AccessChallenge")]
    public void Accepts_signed_replies(byte code, string expected)
    {
        var request = Request();
        byte[] reply = RadiusTestPacket.Reply(request, code, Secret, attributes: (18, "hello"u8.ToArray()));
        Assert.Equal(RadiusReplyStatus.Valid, Verify(request, reply, out var decoded));
        Assert.Equal(Enum.Parse<RadiusCode>(expected), decoded);
    }

    [Fact]
    public void The_rfc2865_example_reply_verifies_but_lacks_the_required_message_authenticator()
    {
        // RFC 2865 §7.1: its Response Authenticator is right; BlastRADIUS hardening still refuses it.
        byte[] reply = Convert.FromHexString("0200002686FE220E7624BA2A1005F6BF9B55E0B20606000000010F06000000000E06C0A80103");
        var status = RadiusReplyVerifier.Verify(reply, 0, Convert.FromHexString("0F403F9473978057BD83D5CB98F4227A"), Key, out _);
        Assert.Equal(RadiusReplyStatus.MissingMessageAuthenticator, status);
    }

    [Fact]
    public void Refuses_a_reply_signed_for_another_request_with_the_same_id() =>
        Assert.Equal(RadiusReplyStatus.BadResponseAuthenticator, Verify(Request(), RadiusTestPacket.Reply(Request(), 2, Secret), out _));

    [Fact]
    public void Refuses_a_reply_made_with_another_secret()
    {
        var request = Request();
        Assert.Equal(RadiusReplyStatus.BadResponseAuthenticator, Verify(request, RadiusTestPacket.Reply(request, 2, "other"), out _));
    }

    [Fact]
    public void Refuses_a_forged_response_authenticator()
    {
        var request = Request();
        Assert.Equal(RadiusReplyStatus.BadResponseAuthenticator, Verify(request, RadiusTestPacket.Reply(request, 2, Secret, breakResponseAuthenticator: true), out _));
    }

    [Fact]
    public void Refuses_a_missing_message_authenticator()
    {
        var request = Request();
        Assert.Equal(RadiusReplyStatus.MissingMessageAuthenticator, Verify(request, RadiusTestPacket.Reply(request, 2, Secret, messageAuthenticator: false), out _));
    }

    [Fact]
    public void Refuses_two_message_authenticators()
    {
        var request = Request();
        var reply = RadiusTestPacket.Reply(request, 2, Secret, attributes: (80, new byte[16]));
        Assert.Equal(RadiusReplyStatus.MissingMessageAuthenticator, Verify(request, reply, out _));
    }

    [Fact]
    public void Refuses_a_bad_message_authenticator()
    {
        var request = Request();
        Assert.Equal(RadiusReplyStatus.BadMessageAuthenticator, Verify(request, RadiusTestPacket.Reply(request, 2, Secret, breakMessageAuthenticator: true), out _));
    }

    [Fact]
    public void Refuses_a_reply_to_another_identifier()
    {
        var request = Request();
        Assert.Equal(RadiusReplyStatus.WrongId, Verify(request, RadiusTestPacket.Reply(request, 2, Secret, id: (byte)(request.Id + 1)), out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(0)]
    public void Refuses_codes_that_do_not_answer_an_access_request(byte code)
    {
        var request = Request();
        Assert.Equal(RadiusReplyStatus.UnexpectedCode, Verify(request, RadiusTestPacket.Reply(request, code, Secret), out _));
    }

    [Fact]
    public void Ignores_padding_after_the_length_field()
    {
        var request = Request();
        byte[] reply = [.. RadiusTestPacket.Reply(request, 2, Secret), 0, 0, 0, 0];
        Assert.Equal(RadiusReplyStatus.Valid, Verify(request, reply, out _));
    }

    [Fact]
    public void Every_truncation_of_a_valid_reply_is_refused()
    {
        var request = Request();
        byte[] reply = RadiusTestPacket.Reply(request, 2, Secret, attributes: (18, "hello"u8.ToArray()));
        for (int cut = 0; cut < reply.Length; cut++)
            Assert.NotEqual(RadiusReplyStatus.Valid, Verify(request, reply[..cut], out _));
    }

    [Theory]
    [InlineData(19)]
    [InlineData(4097)]
    [InlineData(0)]
    public void Refuses_impossible_length_fields(int length)
    {
        var request = Request();
        byte[] reply = [.. RadiusTestPacket.Reply(request, 2, Secret), .. new byte[4200]];
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(2), (ushort)length);
        Assert.Equal(RadiusReplyStatus.BadLength, Verify(request, reply, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(200)]
    public void Refuses_attribute_lengths_that_do_not_fit(byte attributeLength)
    {
        var request = Request();
        byte[] reply = RadiusTestPacket.Reply(request, 2, Secret, attributes: (18, "hello"u8.ToArray()));
        reply[21] = attributeLength; // the first attribute's length byte
        Assert.Equal(RadiusReplyStatus.MalformedAttributes, Verify(request, reply, out _));
    }

    [Fact]
    public void Refuses_a_message_authenticator_of_the_wrong_size()
    {
        var request = Request();
        var reply = RadiusTestPacket.Reply(request, 2, Secret, messageAuthenticator: false, attributes: (80, new byte[10]));
        Assert.Equal(RadiusReplyStatus.MalformedAttributes, Verify(request, reply, out _));
    }
}
