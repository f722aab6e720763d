using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Core.Tests.Config;

public sealed class KnownKeysTests
{
    [Theory]
    [InlineData("www-private-key", "www-privatekey")]
    [InlineData("heartbeat-enabled", "heartbeat")]
    [InlineData("smtp-defaultips", "smtp-default-ips")]
    [InlineData("database", "database-address")]
    public void Aliases_map_to_the_canonical_key(string alias, string canonical)
    {
        Assert.True(KnownKeys.TryGet(alias, out var known));
        Assert.Equal(canonical, known.Name);
    }

    [Theory]
    [InlineData("www-port")]
    [InlineData("www-password")]
    [InlineData("data-directory")]
    [InlineData("www-pam-service")]
    [InlineData("smtp-maxsize")]
    [InlineData("rabbitmq-address")]
    [InlineData("cluster-exchange")]
    [InlineData("send-bin-log-file")]
    [InlineData("dns-min-ttl")]
    [InlineData("dsn-notify")]
    [InlineData("spool-directory")]
    [InlineData("download-ttl")]
    [InlineData("retry-interval")]
    [InlineData("max-delivertime")]
    [InlineData("max-attempts")]
    [InlineData("lock")]
    [InlineData("license")]
    public void Knows_MailerQs_documented_keys_and_ours(string key)
    {
        Assert.True(KnownKeys.TryGet(key, out _));
    }

    [Fact]
    public void Only_auth_keys_repeat()
    {
        var repeatable = new List<string>();
        foreach (var key in KnownKeys.All)
        {
            if (key.IsRepeatable)
                repeatable.Add(key.Name);
        }
        Assert.Equal(["www-auth", "smtp-auth"], repeatable);
    }

    [Theory]
    [InlineData("smtp-port")]
    [InlineData("smtp-range")]
    [InlineData("retry-interval")]
    [InlineData("application-log")]
    public void Documented_lists_are_list_keys(string key)
    {
        Assert.True(KnownKeys.Get(key).IsList);
    }

    [Theory]
    [InlineData("www-cache-control")]
    [InlineData("www-auth")]
    [InlineData("rabbitmq-address")]
    [InlineData("www-ciphers")]
    public void Other_keys_are_single_strings(string key)
    {
        Assert.False(KnownKeys.Get(key).IsList);
    }

    [Fact]
    public void Keys_are_unique_lower_case_words()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in KnownKeys.All)
        {
            Assert.True(seen.Add(key.Name), key.Name);
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", key.Name);
        }
    }
}
