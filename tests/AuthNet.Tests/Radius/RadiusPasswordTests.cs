using System.Net;
using System.Net.Sockets;
using System.Text;
using MailerQ.Www.Auth.Radius;
using MailerQ.Www.AuthNet.Tests.Fixtures;

namespace MailerQ.Www.AuthNet.Tests.Radius;

public sealed class RadiusPasswordTests
{
    [Fact]
    public void Hides_the_rfc2865_example_password()
    {
        // RFC 2865 §7.1: user nemo, password "arctangent", secret "xyzzy5461".
        byte[] authenticator = Convert.FromHexString("0F403F9473978057BD83D5CB98F4227A");
        byte[] hidden = new byte[16];
        RadiusPassword.Hide("arctangent"u8, "xyzzy5461"u8, authenticator, hidden);
        Assert.Equal(Convert.FromHexString("0DBE708D93D413CE3196E43F782A0AEE"), hidden);
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(15, 16)]
    [InlineData(16, 16)]
    [InlineData(17, 32)]
    [InlineData(128, 128)]
    public void Pads_to_whole_16_byte_blocks(int length, int hidden) =>
        Assert.Equal(hidden, RadiusPassword.HiddenLength(length));

    [Theory]
    [InlineData("p")]
    [InlineData("exactly-16-bytes")]
    [InlineData("seventeen bytes!!")]
    [InlineData("pässwörd with ümlauts and a long tail to cross several blocks of sixteen bytes each")]
    public void Chains_blocks_so_an_independent_decoder_recovers_the_password(string password)
    {
        const string secret = "test-secret";
        byte[] authenticator = new byte[16];
        Random.Shared.NextBytes(authenticator);
        byte[] packet = new byte[RadiusLimits.MaxPacketBytes];
        int length = RadiusRequestEncoder.Write(packet, 7, authenticator, "bob"u8, Encoding.UTF8.GetBytes(password), [], IPAddress.Loopback, Encoding.UTF8.GetBytes(secret));

        Assert.Equal(password, new RadiusTestPacket(packet[..length]).Password(secret));
    }

    [Fact]
    public void The_size_estimate_matches_what_is_written()
    {
        byte[] packet = new byte[RadiusLimits.MaxPacketBytes];
        int length = RadiusRequestEncoder.Write(packet, 1, new byte[16], "bob"u8, "pw"u8, "nas"u8, IPAddress.IPv6Loopback, "s"u8);
        Assert.Equal(RadiusRequestEncoder.Size(3, 2, 3, AddressFamily.InterNetworkV6), length);
    }
}
