using System.Text;
using MailerQ.Www.Auth.Ldap;

namespace MailerQ.Www.AuthNet.Tests.Ldap;

public sealed class LdapRequestEncoderTests
{
    [Fact]
    public void Encodes_a_simple_bind_byte_for_byte()
    {
        byte[] buffer = new byte[LdapRequestEncoder.SimpleBindSize(1, 4, 1)];
        int written = LdapRequestEncoder.WriteSimpleBind(buffer, 1, "cn=a"u8, "b"u8);

        // LDAPMessage { messageID 1, [APPLICATION 0] { version 3, name "cn=a", simple [0] "b" } } (RFC 4511 §4.2)
        Assert.Equal(Convert.FromHexString("3011020101600C020103040463 6E3D61 800162".Replace(" ", "")), buffer[..written]);
        Assert.Equal(buffer.Length, written);
    }

    [Fact]
    public void Encodes_long_form_lengths_for_long_values()
    {
        byte[] dn = Encoding.ASCII.GetBytes("uid=" + new string('x', 196)); // 200 bytes: 0x81 0xC8
        byte[] password = new byte[300];                                      // 300 bytes: 0x82 0x01 0x2C
        byte[] buffer = new byte[LdapRequestEncoder.SimpleBindSize(2, dn.Length, password.Length)];
        int written = LdapRequestEncoder.WriteSimpleBind(buffer, 2, dn, password);

        Assert.Equal(buffer.Length, written);
        // bind content = 3 (version) + 3 + 200 (name) + 4 + 300 (password) = 510 = 0x01FE
        // message content = 3 (id) + 4 + 510 = 517 = 0x0205
        Assert.Equal(Convert.FromHexString("30820205020102 6082 01FE 020103 0481C8".Replace(" ", "")), buffer[..17]);
        Assert.Equal(Convert.FromHexString("8082012C"), buffer[(17 + 200)..(17 + 204)]);
        Assert.Equal(4 + 517, written);
    }

    [Fact]
    public void Encodes_message_ids_as_minimal_integers()
    {
        byte[] buffer = new byte[LdapRequestEncoder.UnbindSize(128)];
        int written = LdapRequestEncoder.WriteUnbind(buffer, 128);
        // 128 needs a leading zero byte to stay positive (X.690 §8.3.2).
        Assert.Equal(Convert.FromHexString("3006020200804200"), buffer[..written]);
    }

    [Fact]
    public void Encodes_the_starttls_extended_request()
    {
        byte[] buffer = new byte[LdapRequestEncoder.StartTlsSize(1)];
        int written = LdapRequestEncoder.WriteStartTls(buffer, 1);

        byte[] expected = [0x30, 0x1D, 0x02, 0x01, 0x01, 0x77, 0x18, 0x80, 0x16, .. "1.3.6.1.4.1.1466.20037"u8];
        Assert.Equal(expected, buffer[..written]);
    }

    [Fact]
    public void Encodes_an_unbind()
    {
        byte[] buffer = new byte[LdapRequestEncoder.UnbindSize(3)];
        int written = LdapRequestEncoder.WriteUnbind(buffer, 3);
        Assert.Equal(Convert.FromHexString("30050201034200"), buffer[..written]);
    }
}
