using BenchmarkDotNet.Attributes;
using MailerQ.Www.Auth.Crypt;

namespace MailerQ.Www.Bench.Auth;

/// <summary>
/// Checking a console password against a <c>$6$</c> SHA-512 crypt hash (libxcrypt through <see cref="CryptVerifier"/>),
/// as a <c>file://</c> login does: the cost is the 5,000 rounds (the default) by design; what this watches is that
/// our wrapper adds nothing measurable and allocates little. A login cache keeps it off repeated requests.
/// </summary>
[MemoryDiagnoser]
public class Sha512CryptBenchmarks
{
    private string _hash = null!;
    private string _hash50k = null!;

    [GlobalSetup]
    public void Setup()
    {
        _hash = PasswordHasher.HashSha512Crypt("correct horse battery staple");
        _hash50k = CryptVerifier.Compute("correct horse battery staple", "$6$rounds=50000$" + PasswordHasher.GenerateSalt() + "$", CryptFormat.Sha512)!;
    }

    [Benchmark(Description = "verify $6$ (5,000 rounds), right password")]
    public bool VerifyRight() => CryptVerifier.Verify("correct horse battery staple", _hash, CryptFormat.Sha512);

    [Benchmark(Description = "verify $6$ (5,000 rounds), wrong password")]
    public bool VerifyWrong() => CryptVerifier.Verify("correct horse battery stapler", _hash, CryptFormat.Sha512);

    [Benchmark(Description = "verify $6$rounds=50000$")]
    public bool Verify50k() => CryptVerifier.Verify("correct horse battery staple", _hash50k, CryptFormat.Sha512);
}
