using System.Net;
using MailerQ.Www.Auth.Radius;
using MailerQ.Www.AuthNet.Tests.Fixtures;

namespace MailerQ.Www.AuthNet.Tests.Radius;

public sealed class RadiusRequestEncoderTests
{
    private static readonly byte[] Authenticator = Convert.FromHexString("0F403F9473978057BD83D5CB98F4227A");

    private static RadiusTestPacket Encode(byte[] nasIdentifier, IPAddress nasAddress)
    {
        byte[] packet = new byte[RadiusLimits.MaxPacketBytes];
        int length = RadiusRequestEncoder.Write(packet, 0x2A, Authenticator, "nemo"u8, "arctangent"u8, nasIdentifier, nasAddress, "xyzzy5461"u8);
        return new RadiusTestPacket(packet[..length]);
    }

    [Fact]
    public void Writes_an_access_request_header()
    {
        var request = Encode("mailerq"u8.ToArray(), IPAddress.Parse("192.168.1.16"));
        Assert.Equal(1, request.Code);
        Assert.Equal(0x2A, request.Id);
        Assert.Equal(request.Bytes.Length, request.Length);
        Assert.Equal(Authenticator, request.Authenticator);
    }

    [Fact]
    public void Puts_a_valid_message_authenticator_first()
    {
        var request = Encode("mailerq"u8.ToArray(), IPAddress.Loopback);
        Assert.Equal(80, request.Attributes[0].Type);
        Assert.Equal(16, request.Attributes[0].Value.Length);
        Assert.True(request.MessageAuthenticatorValid("xyzzy5461"));
        Assert.False(request.MessageAuthenticatorValid("other-secret"));
    }

    [Fact]
    public void Carries_user_name_hidden_password_and_both_nas_attributes()
    {
        var request = Encode("mailerq"u8.ToArray(), IPAddress.Parse("192.168.1.16"));
        Assert.Equal("nemo", request.Text(1));
        // Same user, password, secret and authenticator as RFC 2865 §7.1, so the same hidden bytes.
        Assert.Equal(Convert.FromHexString("0DBE708D93D413CE3196E43F782A0AEE"), request.Attribute(2));
        Assert.Equal("arctangent", request.Password("xyzzy5461"));
        Assert.Equal(IPAddress.Parse("192.168.1.16"), request.NasIpAddress);
        Assert.Equal("mailerq", request.Text(32));
    }

    [Fact]
    public void Uses_nas_ipv6_address_for_an_ipv6_source_and_omits_an_empty_identifier()
    {
        var request = Encode([], IPAddress.IPv6Loopback);
        Assert.Null(request.Attribute(4));
        Assert.Null(request.Attribute(32));
        Assert.Equal(IPAddress.IPv6Loopback.GetAddressBytes(), request.Attribute(95));
    }
}
