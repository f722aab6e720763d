using System.Buffers;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MailerQ.Www.Auth.Net;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Auth.Ldap;

/// <summary>
/// <c>ldap://host:port/base_dn</c>, <c>ldaps://…</c> and <c>ldap://…?starttls</c>: a simple bind as
/// <c>uid=&lt;user&gt;,&lt;base_dn&gt;</c> (MailerQ's documented form); a successful bind accepts the login.
/// One connection per attempt, closed afterwards. See docs/auth-ldap-radius.md.
/// </summary>
internal sealed class LdapAuthBackend : IAuthBackend
{
    private const int StartTlsMessageId = 1;
    private const int BindMessageId = 2;

    private readonly LdapUrl _url;
    private readonly X509Certificate2Collection? _trustedRoots;
    private readonly TimeSpan _budget;

    /// <param name="url">Where and how to bind.</param>
    /// <param name="trustedRoots">The only roots trusted for the server certificate (from <c>cafile=</c>); null means the system store.</param>
    /// <param name="budget">Time for the whole attempt; <see cref="LdapLimits.AttemptBudget"/> outside tests.</param>
    internal LdapAuthBackend(LdapUrl url, X509Certificate2Collection? trustedRoots, TimeSpan budget)
    {
        _url = url;
        _trustedRoots = trustedRoots;
        _budget = budget;
    }

    /// <inheritdoc/>
    public string Scheme => _url.Security == LdapSecurity.Ldaps ? "ldaps" : "ldap";

    /// <summary>
    /// Builds the backend for one <c>www-auth</c> line; a bad URL or an unreadable <c>cafile=</c> is
    /// reported against the line and gives null.
    /// </summary>
    public static IAuthBackend? Create(ConfigEntry entry, ConfigDiagnostics diagnostics)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (!LdapUrl.TryParse(entry.Value, out var url, out string? error))
        {
            diagnostics.Error(entry.Origin, entry.Key, error!);
            return null;
        }
        X509Certificate2Collection? roots = null;
        if (url!.CaFile is not null)
        {
            roots = LoadCaFile(url.CaFile, out error);
            if (roots is null)
            {
                diagnostics.Error(entry.Origin, entry.Key, error!);
                return null;
            }
        }
        if (url.Security == LdapSecurity.None && !IsLoopback(url.Endpoint.Host))
            diagnostics.Warning(entry.Origin, entry.Key, "ldap:// sends passwords in clear text; use ldaps:// or ?starttls");
        return new LdapAuthBackend(url, roots, LdapLimits.AttemptBudget);
    }

    /// <inheritdoc/>
    public async ValueTask<AuthResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        // RFC 4513 §5.1.2: a simple bind with a DN and an empty password is an "unauthenticated" bind that
        // servers may answer with success (slapd with "allow bind_anon_dn" does). Never send one.
        if (password.Length == 0)
            return Rejected("empty password refused before bind (RFC 4513 §5.1.2)");
        if (userName.Length == 0)
            return Rejected("empty user name");
        if (WireCredentialRules.HasControlCharacters(userName) || WireCredentialRules.HasLoneSurrogate(userName))
            return Rejected("control or invalid characters in the user name");
        if (WireCredentialRules.HasLoneSurrogate(password))
            return Rejected("invalid characters in the password");

        byte[] dn = Encoding.UTF8.GetBytes("uid=" + LdapDn.EscapeValue(userName) + "," + _url.BaseDn);
        int passwordLength = Encoding.UTF8.GetByteCount(password);
        if (Encoding.UTF8.GetByteCount(userName) > LdapLimits.MaxUserNameBytes || passwordLength > LdapLimits.MaxPasswordBytes)
            return Rejected("user name or password too long");

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(_budget);
        byte[] request = ArrayPool<byte>.Shared.Rent(LdapRequestEncoder.SimpleBindSize(BindMessageId, dn.Length, passwordLength));
        byte[] passwordBytes = ArrayPool<byte>.Shared.Rent(passwordLength);
        try
        {
            Encoding.UTF8.GetBytes(password, passwordBytes);
            int length = LdapRequestEncoder.WriteSimpleBind(request, BindMessageId, dn, passwordBytes.AsSpan(0, passwordLength));
            return await BindAsync(request.AsMemory(0, length), budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Error(string.Create(CultureInfo.InvariantCulture, $"no answer within {_budget.TotalSeconds:0.#} s"));
        }
        catch (SocketException e)
        {
            return Error("network: " + e.SocketErrorCode.ToString());
        }
        catch (AuthenticationException e)
        {
            return Error("TLS: " + e.Message);
        }
        catch (IOException e)
        {
            return Error("network: " + e.Message);
        }
        catch (InvalidDataException e)
        {
            return Error("protocol: " + e.Message);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
            CryptographicOperations.ZeroMemory(request);
            ArrayPool<byte>.Shared.Return(passwordBytes);
            ArrayPool<byte>.Shared.Return(request);
        }
    }

    private async ValueTask<AuthResult> BindAsync(ReadOnlyMemory<byte> bindRequest, CancellationToken cancellationToken)
    {
        var connection = await LdapConnection.ConnectAsync(_url.Endpoint, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (_url.Security == LdapSecurity.Ldaps)
                await connection.UpgradeToTlsAsync(TlsOptions(), cancellationToken).ConfigureAwait(false);
            if (_url.Security == LdapSecurity.StartTls)
            {
                byte[] startTls = new byte[LdapRequestEncoder.StartTlsSize(StartTlsMessageId)];
                LdapRequestEncoder.WriteStartTls(startTls, StartTlsMessageId);
                var started = await connection.ExchangeAsync(startTls, StartTlsMessageId, cancellationToken).ConfigureAwait(false);
                if (started.Operation != LdapTag.ExtendedResponse)
                    LdapThrowHelper.ThrowProtocol("StartTLS answered with another operation");
                if (started.ResultCode != LdapResultCodes.Success)
                    return Error($"server refused StartTLS: {LdapResultCodes.Name(started.ResultCode)} {started.DiagnosticMessage}");
                await connection.UpgradeToTlsAsync(TlsOptions(), cancellationToken).ConfigureAwait(false);
            }

            var response = await connection.ExchangeAsync(bindRequest, BindMessageId, cancellationToken).ConfigureAwait(false);
            if (response.Operation != LdapTag.BindResponse)
                LdapThrowHelper.ThrowProtocol("bind answered with another operation");
            await UnbindAsync(connection, cancellationToken).ConfigureAwait(false);

            var outcome = LdapResultCodes.ToOutcome(response.ResultCode);
            string detail = response.DiagnosticMessage.Length == 0
                ? LdapResultCodes.Name(response.ResultCode)
                : LdapResultCodes.Name(response.ResultCode) + ": " + response.DiagnosticMessage;
            return new AuthResult(outcome, Scheme, outcome == AuthOutcome.Accepted ? null : detail);
        }
    }

    // RFC 4511 §4.3: the polite close. Best effort: the answer is already known.
    private static async ValueTask UnbindAsync(LdapConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            byte[] unbind = new byte[LdapRequestEncoder.UnbindSize(BindMessageId + 1)];
            LdapRequestEncoder.WriteUnbind(unbind, BindMessageId + 1);
            await connection.SendAsync(unbind, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The bind result stands whether or not the server heard the unbind.
        }
    }

    // Built per attempt: SslStream keeps references to the options and the chain policy is mutable.
    private SslClientAuthenticationOptions TlsOptions()
    {
        var options = new SslClientAuthenticationOptions
        {
            // The host name from the URL is what the certificate must name (RFC 4513 §3.1.3).
            TargetHost = _url.Endpoint.Host,
        };
        if (_trustedRoots is not null)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                // A private CA seldom publishes revocation lists; the system-store path does not check either
                // (SslStream's default CertificateRevocationCheckMode is NoCheck).
                RevocationMode = X509RevocationMode.NoCheck,
                DisableCertificateDownloads = true,
            };
            policy.CustomTrustStore.AddRange(_trustedRoots);
            options.CertificateChainPolicy = policy;
        }
        return options;
    }

    private static X509Certificate2Collection? LoadCaFile(string path, out string? error)
    {
        error = null;
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            error = $"cannot read CA file {path}: {e.Message}";
            return null;
        }
        if (roots.Count == 0)
        {
            error = $"CA file {path} holds no PEM certificate";
            return null;
        }
        return roots;
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));

    private AuthResult Rejected(string detail) => new(AuthOutcome.Rejected, Scheme, detail);

    private AuthResult Error(string detail) => new(AuthOutcome.Error, Scheme, detail);
}
