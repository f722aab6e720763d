using System.Text.Json;
using MailerQ.Www.Smtp.Dkim;
using MailerQ.Www.Core.Dkim;

namespace MailerQ.Www.Delivery.Tests.Dkim;

public sealed class DkimJsonTests
{
    private static readonly DkimKeyMaterial Rsa = DkimKeyMaterial.GenerateRsa();
    private static readonly DkimKeyMaterial Ed = DkimKeyMaterial.GenerateEd25519();

    private static (bool Ok, IReadOnlyList<DkimSigningKey> Keys, IReadOnlyList<string> Errors) Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        bool ok = DkimJson.TryParse(doc.RootElement.GetProperty("dkim"), out var keys, out var errors);
        return (ok, keys, errors);
    }

    private static string Pem(DkimKeyMaterial key) => JsonSerializer.Serialize(key.PrivateKeyPem);

    [Fact]
    public void A_single_object_gives_one_key_with_mailerqs_defaults()
    {
        var (ok, keys, errors) = Parse($$"""{"dkim": {"domain": "example.com", "selector": "s1", "key": {{Pem(Rsa)}} } }""");

        Assert.True(ok, string.Join("; ", errors));
        var key = Assert.Single(keys);
        Assert.Equal(("example.com", "s1", "rsa-sha256", 0, "relaxed/simple"), (key.Domain, key.Selector, key.Algorithm, key.Priority, key.Canonicalization));
        Assert.Null(key.Expire);
        Assert.Null(key.Headers);
        Assert.Equal(Rsa.PrivateKeyPem, key.PrivateKeyPem);
    }

    [Fact]
    public void An_array_gives_every_key_with_its_settings()
    {
        var (ok, keys, errors) = Parse($$"""
            {"dkim": [
              {"domain": "example.com", "selector": "a", "key": {{Pem(Rsa)}}, "expire": "2030-12-31 23:59:00",
               "headers": ["X-Campaign", "List-Help"], "priority": 3, "canonicalization": "simple/relaxed", "report": true},
              {"domain": "example.net", "selector": "b", "key": {{Pem(Ed)}}, "priority": "-1", "protocols": ["dkim", "arc"]}
            ]}
            """);

        Assert.True(ok, string.Join("; ", errors));
        Assert.Equal(2, keys.Count);
        Assert.Equal(new DateTimeOffset(2030, 12, 31, 23, 59, 0, TimeSpan.Zero), keys[0].Expire);
        Assert.Equal(["X-Campaign", "List-Help"], keys[0].Headers!);
        Assert.Equal((3, "simple/relaxed"), (keys[0].Priority, keys[0].Canonicalization));
        Assert.Equal(("ed25519-sha256", -1), (keys[1].Algorithm, keys[1].Priority));
    }

    [Fact]
    public void An_arc_only_entry_is_skipped()
    {
        var (ok, keys, _) = Parse($$"""{"dkim": [{"domain": "example.com", "selector": "a", "key": {{Pem(Rsa)}}, "protocols": ["arc"] } ] }""");

        Assert.True(ok);
        Assert.Empty(keys);
    }

    [Fact]
    public void Null_means_no_keys()
    {
        var (ok, keys, errors) = Parse("""{"dkim": null}""");

        Assert.True(ok);
        Assert.Empty(keys);
        Assert.Empty(errors);
    }

    [Fact]
    public void Every_problem_is_reported_with_where_it_is()
    {
        var (ok, keys, errors) = Parse($$"""
            {"dkim": [
              {"selector": "a", "key": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"},
              {"domain": "example.com", "selector": "b", "key": {{Pem(Rsa)}}, "expire": "31/12/2030", "priority": 1.5,
               "canonicalization": "strict", "headers": ["Bad: name"]},
              "text",
              {"domain": "example.com", "selector": "ok", "key": {{Pem(Ed)}}}
            ]}
            """);

        Assert.False(ok);
        Assert.Equal("ok", Assert.Single(keys).Selector);
        Assert.Contains("dkim[0].domain: required (a non-empty string)", errors);
        Assert.Contains(errors, e => e.StartsWith("dkim[0].key: this is a certificate", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("dkim[1].expire:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("dkim[1].priority:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("dkim[1].canonicalization:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("dkim[1].headers:", StringComparison.Ordinal));
        Assert.Contains("dkim[2]: must be an object", errors);
    }

    [Fact]
    public void A_value_that_is_neither_object_nor_array_is_an_error()
    {
        var (ok, _, errors) = Parse("""{"dkim": 5}""");

        Assert.False(ok);
        Assert.Equal(["dkim: must be an object or an array of objects"], errors);
    }

    [Fact]
    public void Keys_from_json_sign_messages_that_verify()
    {
        var (_, keys, _) = Parse($$"""{"dkim": {"domain": "dkim.test", "selector": "ed", "key": {{Pem(Ed)}} } }""");

        byte[] signed = new MessageDkimSigner().Sign("From: a@dkim.test\r\nSubject: x\r\n\r\nbody\r\n"u8.ToArray(), keys, DateTimeOffset.UtcNow);

        var message = MimeKit.MimeMessage.Load(new MemoryStream(signed));
        var verifier = new MimeKit.Cryptography.DkimVerifier(new TxtRecordKeyLocator(new Dictionary<string, string> { ["ed._domainkey.dkim.test"] = Ed.DnsRecordText }));
        verifier.Enable(MimeKit.Cryptography.DkimSignatureAlgorithm.Ed25519Sha256);
        Assert.Equal(MimeKit.HeaderId.DkimSignature, message.Headers[0].Id);
        Assert.True(verifier.Verify(message, message.Headers[0], TestContext.Current.CancellationToken));
    }
}
