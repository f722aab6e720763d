using MailerQ.Www.Console.Cluster;

namespace MailerQ.Www.Host.Tests.Cluster;

/// <summary>The switch token alone: bound to user and target, signed, 30 s.</summary>
public sealed class SwitchTokenTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_token_names_its_user_for_its_target_until_it_expires()
    {
        var token = SwitchToken.Create(Key, "alice", "http://b:8485", Now);
        Assert.Equal(SwitchTokenCheck.Ok, SwitchToken.Verify(Key, token, "http://b:8485", Now.AddSeconds(29), out var user, out var nonce, out var expiry));
        Assert.Equal("alice", user);
        Assert.Equal(Now.AddSeconds(30), expiry);
        Assert.NotEmpty(nonce);
        Assert.Equal(SwitchTokenCheck.Expired, SwitchToken.Verify(Key, token, "http://b:8485", Now.AddSeconds(30), out _, out _, out _));
        Assert.Equal(SwitchTokenCheck.WrongInstance, SwitchToken.Verify(Key, token, "http://c:8485", Now, out _, out _, out _));
    }

    [Fact]
    public void Another_key_a_changed_byte_or_garbage_is_refused()
    {
        var token = SwitchToken.Create(Key, "alice", "b", Now);
        var otherKey = (byte[])Key.Clone();
        otherKey[0] ^= 1;
        Assert.Equal(SwitchTokenCheck.BadSignature, SwitchToken.Verify(otherKey, token, "b", Now, out _, out _, out _));
        // Change the user inside the payload: the signature no longer matches.
        var parts = token.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0])).Replace("alice", "admin", StringComparison.Ordinal);
        var forged = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload)) + "." + parts[1];
        Assert.Equal(SwitchTokenCheck.BadSignature, SwitchToken.Verify(Key, forged, "b", Now, out _, out _, out _));
        foreach (var junk in new[] { "", "abc", "a.b", ".", new string('x', 5000) })
            Assert.NotEqual(SwitchTokenCheck.Ok, SwitchToken.Verify(Key, junk, "b", Now, out _, out _, out _));
        Assert.NotEqual(token, SwitchToken.Create(Key, "alice", "b", Now));
    }
}
