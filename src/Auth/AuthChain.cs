using MailerQ.Www.Core.Logging;

namespace MailerQ.Www.Auth;

/// <summary>
/// The configured backends in <c>www-auth</c> order (management-console.md: several lines are tried in
/// order and the first that accepts wins). A backend that errs counts as "no" and the next is tried,
/// so an LDAP outage does not lock out a local fallback. Thread-safe; owns and disposes its backends.
/// </summary>
internal sealed class AuthChain : IDisposable
{
    private readonly IAuthBackend[] _backends;
    private readonly TimeProvider _time;
    private readonly TimeSpan _safetyTimeout;

    public AuthChain(IReadOnlyList<IAuthBackend> backends, TimeProvider? timeProvider = null, TimeSpan? safetyTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(backends);
        _backends = [.. backends];
        _time = timeProvider ?? TimeProvider.System;
        _safetyTimeout = safetyTimeout ?? AuthLimits.BackendSafetyTimeout;
    }

    /// <summary>The backends, in the order they are tried.</summary>
    public IReadOnlyList<IAuthBackend> Backends => _backends;

    /// <summary>True when no backend is configured (every login is refused).</summary>
    public bool IsEmpty => _backends.Length == 0;

    /// <summary>
    /// Asks the backends in turn. Accepted: <see cref="AuthResult.Scheme"/> names the winner. Otherwise the
    /// result is Rejected (even when every backend erred: the caller shows one answer for all failures),
    /// with the last scheme tried and each backend's reason joined in <see cref="AuthResult.Detail"/> for the log.
    /// Credentials that break <see cref="CredentialRules"/> are refused without asking anyone.
    /// </summary>
    public async ValueTask<AuthResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken)
    {
        if (!CredentialRules.AreAcceptable(userName, password))
            return new AuthResult(AuthOutcome.Rejected, _backends.Length > 0 ? _backends[0].Scheme : "none", "malformed credentials");
        if (_backends.Length == 0)
            return new AuthResult(AuthOutcome.Rejected, "none", "no www-auth backend");

        string? details = null;
        string scheme = _backends[0].Scheme;
        foreach (var backend in _backends)
        {
            scheme = backend.Scheme;
            var result = await AskAsync(backend, userName, password, cancellationToken).ConfigureAwait(false);
            if (result.Outcome == AuthOutcome.Accepted)
                return result;
            string reason = $"{backend.Scheme}: {(result.Outcome == AuthOutcome.Error ? "error" : "rejected")}{(result.Detail is null ? "" : " (" + result.Detail + ")")}";
            details = details is null ? reason : details + "; " + reason;
        }
        return new AuthResult(AuthOutcome.Rejected, scheme, details);
    }

    private async ValueTask<AuthResult> AskAsync(IAuthBackend backend, string userName, string password, CancellationToken cancellationToken)
    {
        try
        {
            return await backend.AuthenticateAsync(userName, password, cancellationToken).AsTask()
                .WaitAsync(_safetyTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.Error("auth", "backend exceeded its time budget", $"scheme={backend.Scheme} timeout_ms={(long)_safetyTimeout.TotalMilliseconds}");
            return new AuthResult(AuthOutcome.Error, backend.Scheme, "timeout");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The contract says backends never throw; one that does is a bug, but one bug must not
            // turn into a 500 or skip the remaining backends.
            Log.Error("auth", "backend failed", $"scheme={backend.Scheme} error={Log.Quote(ex.GetType().Name + ": " + ex.Message)}");
            return new AuthResult(AuthOutcome.Error, backend.Scheme, ex.GetType().Name);
        }
    }

    public void Dispose()
    {
        foreach (var backend in _backends)
            (backend as IDisposable)?.Dispose();
    }
}
