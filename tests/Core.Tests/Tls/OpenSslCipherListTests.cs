using System.Net.Security;
using MailerQ.Www.Core.Tls;

namespace MailerQ.Www.Core.Tests.Tls;

public sealed class OpenSslCipherListTests
{
    public static TheoryData<string> Corpus => CipherStringCorpus.All();

    [Fact]
    public void Corpus_has_at_least_200_strings() => Assert.True(Corpus.Count >= 200, $"{Corpus.Count} strings");

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Resolves_exactly_what_openssl_ciphers_prints(string cipherString)
    {
        // "--" keeps strings such as "-ALL" from being read as options.
        OpenSslRun openssl = await OpenSslCli.RunAsync("ciphers", "-s", "-stdname", "--", cipherString);
        bool ok = OpenSslCipherList.TryResolve(cipherString, out IReadOnlyList<TlsCipherSuite> suites, out string? error);

        if (openssl.ExitCode != 0)
        {
            Assert.False(ok, $"openssl refused it but we resolved {suites.Count} suites; {openssl}");
            Assert.False(string.IsNullOrWhiteSpace(error));
            return;
        }

        string[] lines = openssl.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!ok)
        {
            // Our one deliberate difference: openssl prints the TLS 1.3 defaults and exits 0, we call that "selects nothing".
            Assert.All(lines, line => Assert.Contains(" TLSv1.3 ", line, StringComparison.Ordinal));
            Assert.Contains("TLS 1.2", error, StringComparison.Ordinal);
            return;
        }

        string[] expected = Array.ConvertAll(lines, line => line.Split(' ', 2)[0]);
        // TlsCipherSuite member names are the IANA names openssl prints with -stdname.
        string[] actual = suites.Select(s => s.ToString()).ToArray();
        Assert.Equal(expected, actual);
        Assert.Null(error);
    }

    [Fact]
    public void MailerQ_example_lists_tls13_defaults_first_then_strongest()
    {
        Assert.True(OpenSslCipherList.TryResolve(
            "!aNULL:!eNULL:!LOW:!SSLv2:!EXPORT:!EXPORT56:FIPS:MEDIUM:HIGH:@STRENGTH", out var suites, out _));
        Assert.Equal(
            [TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, TlsCipherSuite.TLS_AES_128_GCM_SHA256],
            suites.Take(3));
        Assert.Contains(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, suites);
        Assert.DoesNotContain(TlsCipherSuite.TLS_RSA_WITH_NULL_SHA256, suites);
    }

    [Fact]
    public void Unknown_name_fails_with_openssl_reason()
    {
        Assert.False(OpenSslCipherList.TryResolve("NO-SUCH-CIPHER", out var suites, out string? error));
        Assert.Empty(suites);
        Assert.Contains("NO-SUCH-CIPHER", error, StringComparison.Ordinal);
        Assert.Contains("no cipher match", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_string_fails()
    {
        Assert.False(OpenSslCipherList.TryResolve("", out _, out string? error));
        Assert.Contains("no cipher match", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eNULL")]
    [InlineData("PSK")]
    [InlineData("aNULL")]
    public void Selection_that_leaves_only_tls13_suites_fails(string cipherString)
    {
        Assert.False(OpenSslCipherList.TryResolve(cipherString, out var suites, out string? error));
        Assert.Empty(suites);
        Assert.Contains("no cipher suite usable with TLS 1.2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Nul_character_fails_instead_of_truncating()
    {
        Assert.False(OpenSslCipherList.TryResolve("HIGH\0garbage", out _, out string? error));
        Assert.Contains("NUL", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Failure_leaves_no_error_on_the_thread_queue()
    {
        OpenSslCipherList.TryResolve("FOO", out _, out _);
        Assert.True(OpenSslCipherList.TryResolve("HIGH", out _, out string? error));
        Assert.Null(error);
    }
}
