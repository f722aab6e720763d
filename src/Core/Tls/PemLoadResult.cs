using System.Diagnostics.CodeAnalysis;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MailerQ.Www.Core.Tls;

/// <summary>
/// Outcome of <see cref="PemCertificateLoader.Load(string, string)"/>: a context ready for
/// <see cref="SslServerAuthenticationOptions.ServerCertificateContext"/>, or a reason the caller reports as a config error.
/// </summary>
internal sealed class PemLoadResult
{
    private PemLoadResult(
        SslStreamCertificateContext? context,
        X509Certificate2? leaf,
        X509Certificate2Collection chain,
        PemLoadFailure failure,
        string? error,
        IReadOnlyList<string> warnings)
    {
        Context = context;
        Leaf = leaf;
        Chain = chain;
        Failure = failure;
        Error = error;
        Warnings = warnings;
    }

    public SslStreamCertificateContext? Context { get; }

    /// <summary>The first certificate of the file, carrying the private key.</summary>
    public X509Certificate2? Leaf { get; }

    /// <summary>The other certificates of the file, in file order; SslStream sends those that chain to the leaf.</summary>
    public X509Certificate2Collection Chain { get; }

    public PemLoadFailure Failure { get; }

    /// <summary>Human-readable, naming the file; the caller adds the <c>FILE:LINE: key:</c> of the config entry.</summary>
    public string? Error { get; }

    /// <summary>Problems that do not stop the server, such as an expired certificate.</summary>
    public IReadOnlyList<string> Warnings { get; }

    [MemberNotNullWhen(true, nameof(Context), nameof(Leaf))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Failure == PemLoadFailure.None;

    internal static PemLoadResult Success(
        SslStreamCertificateContext context, X509Certificate2 leaf, X509Certificate2Collection chain, IReadOnlyList<string> warnings) =>
        new(context, leaf, chain, PemLoadFailure.None, null, warnings);

    internal static PemLoadResult Fail(PemLoadFailure failure, string error) =>
        new(null, null, [], failure, error, []);
}
