using MailerQ.Www.Delivery.Tests.Fixtures;
using System.Text;
using MailerQ.Www.Smtp.Dkim;
using MimeKit;
using MimeKit.Cryptography;
using MailerQ.Www.Core.Dkim;

namespace MailerQ.Www.Delivery.Tests.Dkim;

public sealed class MessageDkimSignerTests(DkimFixture keys) : IClassFixture<DkimFixture>
{
    private const string Domain = DkimFixture.Domain;

    /// <summary>Irregular on purpose: folded and padded headers, trailing blanks, a multipart body, trailing empty lines.</summary>
    private static readonly byte[] Message = Encoding.ASCII.GetBytes(
        "Return-Path: <bounce@dkim.test>\r\n" +
        "From: Sender <sender@dkim.test>\r\n" +
        "To:   rcpt@example.org ,\r\n\t other@example.org\r\n" +
        "Subject:    Hello    there   \r\n" +
        "Date: Mon, 01 Jan 2024 10:00:00 +0000\r\n" +
        "Message-ID: <1@dkim.test>\r\n" +
        "MIME-Version: 1.0\r\n" +
        "X-Custom:  kept  as is\r\n" +
        "Content-Type: multipart/alternative; boundary=\"b1\"\r\n" +
        "\r\n" +
        "preamble  \r\n" +
        "--b1\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "\r\n" +
        "Line with  double  spaces   \r\n" +
        "\ttabbed line\r\n" +
        "--b1\r\n" +
        "Content-Type: text/html\r\n" +
        "\r\n" +
        "<p>hi</p>\r\n" +
        "--b1--\r\n" +
        "epilogue\r\n" +
        "\r\n" +
        "\r\n");

    /// <summary>
    /// <see cref="Message"/> with one space after each header colon. opendkim in test mode reads header
    /// values the milter way (leading blanks dropped, one space put back), so under <c>simple</c> header
    /// canonicalisation it fails any field written <c>Subject:    x</c>; python3-dkim verifies those
    /// (<see cref="Python_dkim_verifies_simple_header_canonicalisation_of_irregular_fields"/>).
    /// </summary>
    private static readonly byte[] MilterSafeMessage = Encoding.ASCII.GetBytes(
        Encoding.ASCII.GetString(Message).Replace("To:   ", "To: ", StringComparison.Ordinal).Replace("Subject:    ", "Subject: ", StringComparison.Ordinal));

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly MessageDkimSigner _signer = new();

    private DkimSigningKey Key(string selector, string canonicalization = "relaxed/relaxed", int priority = 0, DateTimeOffset? expire = null, IReadOnlyList<string>? headers = null)
    {
        var material = keys.KeyFor(selector);
        return new DkimSigningKey(Domain, selector, material.Algorithm, material.PrivateKeyPem, headers, expire, priority, canonicalization);
    }

    private TxtRecordKeyLocator Locator() => new(new Dictionary<string, string>
    {
        [DkimKeyMaterial.DnsRecordName("rsa", Domain)] = keys.Rsa.DnsRecordText,
        [DkimKeyMaterial.DnsRecordName("rsa2", Domain)] = keys.Rsa2.DnsRecordText,
        [DkimKeyMaterial.DnsRecordName("ed", Domain)] = keys.Ed.DnsRecordText,
    });

    /// <summary>Every DKIM-Signature in the message, each checked by MimeKit's verifier: (selector, valid).</summary>
    private List<(string Selector, bool Valid)> VerifyWithMimeKit(byte[] signed)
    {
        var message = MimeMessage.Load(new MemoryStream(signed));
        var verifier = new DkimVerifier(Locator());
        verifier.Enable(DkimSignatureAlgorithm.Ed25519Sha256);
        var results = new List<(string, bool)>();
        foreach (var header in message.Headers)
        {
            if (header.Id == HeaderId.DkimSignature)
                results.Add((Tag(header.Value, "s"), verifier.Verify(message, header, TestContext.Current.CancellationToken)));
        }
        return results;
    }

    private static string Tag(string value, string name)
    {
        foreach (string part in value.Split(';'))
        {
            string t = part.Trim();
            if (t.StartsWith(name + "=", StringComparison.Ordinal))
                return string.Concat(t[(name.Length + 1)..].Where(c => !char.IsWhiteSpace(c)));
        }
        return "";
    }

    private static string[] SignatureFields(byte[] signed) =>
        MimeMessage.Load(new MemoryStream(signed)).Headers.Where(h => h.Id == HeaderId.DkimSignature).Select(h => h.Value).ToArray();

    public static TheoryData<string, string> AlgorithmsAndCanonicalizations() => new()
    {
        { "rsa", "relaxed/relaxed" },
        { "rsa", "relaxed/simple" },
        { "rsa", "simple/simple" },
        { "rsa", "simple/relaxed" },
        { "ed", "relaxed/relaxed" },
        { "ed", "relaxed/simple" },
        { "ed", "simple/simple" },
        { "ed", "simple/relaxed" },
    };

    [Theory]
    [MemberData(nameof(AlgorithmsAndCanonicalizations))]
    public void MimeKit_verifies_the_signature(string selector, string canonicalization)
    {
        byte[] signed = _signer.Sign(Message, [Key(selector, canonicalization)], Now);

        var result = Assert.Single(VerifyWithMimeKit(signed));
        Assert.Equal((selector, true), result);
        string field = Assert.Single(SignatureFields(signed));
        Assert.Equal(keys.KeyFor(selector).Algorithm, Tag(field, "a"));
        Assert.Equal(canonicalization, Tag(field, "c"));
    }

    [Theory]
    [MemberData(nameof(AlgorithmsAndCanonicalizations))]
    public async Task Opendkim_verifies_the_signature_with_the_key_from_dns(string selector, string canonicalization)
    {
        byte[] signed = _signer.Sign(MilterSafeMessage, [Key(selector, canonicalization)], Now);

        var result = await keys.OpenDkim.VerifyAsync(signed);

        Assert.True(result.Signatures.Count == 1 && result.Signatures[0] == (selector, "pass"), result.Output);
        Assert.True(keys.Dns.CountQueries(DkimKeyMaterial.DnsRecordName(selector, Domain), "TXT") > 0);
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("ed")]
    public async Task Python_dkim_verifies_simple_header_canonicalisation_of_irregular_fields(string selector)
    {
        byte[] signed = _signer.Sign(Message, [Key(selector, "simple/simple"), Key(selector == "rsa" ? "rsa2" : "rsa", "relaxed/relaxed")], Now);

        Assert.True(await PythonDkim.VerifyAsync(signed, keys.KeyFor(selector).DnsRecordText, 0), "first signature");
        Assert.True(await PythonDkim.VerifyAsync(signed, keys.KeyFor(selector == "rsa" ? "rsa2" : "rsa").DnsRecordText, 1), "second signature");
    }

    [Fact]
    public void The_original_bytes_follow_the_signature_unchanged()
    {
        byte[] signed = _signer.Sign(Message, [Key("rsa"), Key("ed", "simple/simple")], Now);

        int start = signed.AsSpan().IndexOf("Return-Path:"u8);
        Assert.Equal(Message, signed[start..]);
        Assert.StartsWith("DKIM-Signature:", Encoding.ASCII.GetString(signed, 0, start));
        Assert.Equal(2, SignatureFields(signed).Length);
    }

    [Fact]
    public void Bare_line_feeds_become_crlf_and_the_signature_holds()
    {
        byte[] lf = Encoding.ASCII.GetBytes("From: a@dkim.test\nSubject: lf\n\nline one\nline two\n");

        byte[] signed = _signer.Sign(lf, [Key("rsa")], Now);

        Assert.EndsWith("From: a@dkim.test\r\nSubject: lf\r\n\r\nline one\r\nline two\r\n", Encoding.ASCII.GetString(signed));
        Assert.Equal(("rsa", true), Assert.Single(VerifyWithMimeKit(signed)));
    }

    [Fact]
    public async Task Several_signatures_all_verify_and_the_lowest_priority_is_on_top()
    {
        byte[] signed = _signer.Sign(Message, [Key("rsa", priority: 5), Key("ed", priority: -1, canonicalization: "relaxed/simple"), Key("rsa2", priority: 2)], Now);

        Assert.Equal([("ed", true), ("rsa2", true), ("rsa", true)], VerifyWithMimeKit(signed));
        byte[] forOpendkim = _signer.Sign(MilterSafeMessage, [Key("rsa", priority: 5), Key("ed", priority: -1, canonicalization: "simple/simple"), Key("rsa2", priority: 2)], Now);
        var opendkim = await keys.OpenDkim.VerifyAsync(forOpendkim);
        Assert.True(opendkim.Signatures.Count == 3 && opendkim.Signatures.All(s => s.Result == "pass"), opendkim.Output);
        Assert.Equal(["ed", "rsa", "rsa2"], opendkim.Signatures.Select(s => s.Selector).Order());
    }

    [Fact]
    public async Task A_changed_body_fails_verification()
    {
        byte[] signed = _signer.Sign(Message, [Key("rsa"), Key("ed")], Now);
        byte[] tampered = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(signed).Replace("<p>hi</p>", "<p>ho</p>", StringComparison.Ordinal));

        Assert.All(VerifyWithMimeKit(tampered), r => Assert.False(r.Valid));
        var opendkim = await keys.OpenDkim.VerifyAsync(tampered);
        Assert.True(opendkim.Signatures.Count == 2 && opendkim.Signatures.All(s => s.Result == "fail"), opendkim.Output);
    }

    [Fact]
    public void A_changed_signed_header_fails_verification()
    {
        byte[] signed = _signer.Sign(Message, [Key("rsa")], Now);
        byte[] tampered = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(signed).Replace("Hello    there", "Hello there!", StringComparison.Ordinal));

        Assert.False(Assert.Single(VerifyWithMimeKit(tampered)).Valid);
    }

    [Fact]
    public void An_expired_key_is_not_used()
    {
        var at = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

        byte[] signed = _signer.Sign(Message, [Key("rsa", expire: at), Key("ed", expire: at.AddSeconds(-1))], at);

        Assert.Equal(Message, signed);
    }

    [Fact]
    public void A_key_with_an_expiry_signs_with_t_now_and_x_the_expiry()
    {
        var at = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var expire = new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);

        byte[] signed = _signer.Sign(Message, [Key("rsa", expire: expire), Key("ed")], at);

        var fields = SignatureFields(signed);
        Assert.Equal(2, fields.Length);
        Assert.All(fields, f => Assert.Equal(at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), Tag(f, "t")));
        Assert.Equal(expire.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), Tag(fields.Single(f => Tag(f, "s") == "rsa"), "x"));
        Assert.Equal("", Tag(fields.Single(f => Tag(f, "s") == "ed"), "x"));
    }

    [Fact]
    public void Signs_from_and_the_default_headers_present_plus_the_keys_own()
    {
        byte[] signed = _signer.Sign(Message, [Key("rsa", headers: ["X-Custom", "List-Help", "Received", "from"])], Now);

        string h = Tag(Assert.Single(SignatureFields(signed)), "h").ToLowerInvariant();
        Assert.Equal(["from", "to", "subject", "date", "message-id", "mime-version", "content-type", "x-custom", "list-help"], h.Split(':'));
        Assert.True(Assert.Single(VerifyWithMimeKit(signed)).Valid);
    }

    /// <summary>Boundary lines with trailing blanks: MimeKit writes them without, so its body differs from these bytes.</summary>
    private static readonly byte[] PaddedBoundaries = Encoding.ASCII.GetBytes(
        "From: a@dkim.test\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
        "--b  \r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--  \r\n");

    [Fact]
    public void Where_mimekit_reads_the_body_differently_relaxed_body_still_keeps_the_bytes()
    {
        byte[] signed = _signer.Sign(PaddedBoundaries, [Key("rsa", "relaxed/relaxed")], Now);

        Assert.EndsWith(Encoding.ASCII.GetString(PaddedBoundaries), Encoding.ASCII.GetString(signed));
        Assert.True(Assert.Single(VerifyWithMimeKit(signed)).Valid);
    }

    [Fact]
    public async Task Where_mimekit_reads_the_body_differently_simple_body_sends_mimekits_form_with_a_valid_signature()
    {
        byte[] signed = _signer.Sign(PaddedBoundaries, [Key("rsa", "relaxed/simple")], Now);

        string text = Encoding.ASCII.GetString(signed);
        Assert.DoesNotContain("--b  ", text, StringComparison.Ordinal);
        Assert.True(Assert.Single(VerifyWithMimeKit(signed)).Valid);
        Assert.True(await PythonDkim.VerifyAsync(signed, keys.Rsa.DnsRecordText, 0));
    }

    [Fact]
    public void A_message_without_body_is_signed()
    {
        byte[] bare = "From: a@dkim.test\r\nSubject: empty\r\n\r\n"u8.ToArray();

        byte[] signed = _signer.Sign(bare, [Key("rsa", "simple/simple"), Key("ed", "relaxed/relaxed")], Now);

        Assert.All(VerifyWithMimeKit(signed), r => Assert.True(r.Valid));
    }

    [Fact]
    public void A_key_whose_type_does_not_match_the_algorithm_is_refused()
    {
        var key = Key("rsa") with { Algorithm = DkimAlgorithms.Ed25519Sha256 };

        var e = Assert.Throws<DkimKeyException>(() => _signer.Sign(Message, [key], Now));
        Assert.Contains("rsa._domainkey.dkim.test", e.Message);
    }

    [Theory]
    [InlineData("not a key")]
    [InlineData("")]
    public void An_unreadable_key_is_refused_with_the_reason(string pem)
    {
        var key = Key("rsa") with { PrivateKeyPem = pem };

        var e = Assert.Throws<DkimKeyException>(() => _signer.Sign(Message, [key], Now));
        Assert.Contains("private key", e.Message);
    }

    [Fact]
    public void An_unknown_canonicalization_is_refused()
    {
        var key = Key("rsa", canonicalization: "loose/simple");

        Assert.Throws<DkimKeyException>(() => _signer.Sign(Message, [key], Now));
    }
}
