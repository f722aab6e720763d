using System.Net;
using MailerQ.Www.Auth;
using MailerQ.Www.Auth.Sessions;
using MailerQ.Www.Smtp;

namespace MailerQ.Www.Host.Mail;

/// <summary>
/// <c>smtp-auth</c>: the same scheme chain as the console's <c>www-auth</c>, with the same failure
/// limits per user and per client address and the same audit lines.
/// </summary>
internal sealed class SmtpAuthAdapter(AuthChain chain, TimeProvider? time = null) : ISmtpAuthenticator, IDisposable
{
    private readonly LoginThrottle _throttle = new(time);
    private readonly LoginAuditor _audit = new();

    public async ValueTask<bool> AuthenticateAsync(string userName, string password, IPEndPoint remote, CancellationToken ct)
    {
        var decision = _throttle.Check(userName, remote.Address);
        if (!decision.Allowed)
        {
            _audit.LockedOut(userName, remote.Address, decision.RetryAfterSeconds);
            return false;
        }
        var result = await chain.AuthenticateAsync(userName, password, ct).ConfigureAwait(false);
        if (result.Accepted)
        {
            _throttle.RecordSuccess(userName);
            _audit.Succeeded(userName, remote.Address, result.Scheme, "smtp");
            return true;
        }
        _throttle.RecordFailure(userName, remote.Address);
        _audit.Failed(userName, remote.Address, result.Scheme, result.Detail);
        return false;
    }

    public void Dispose() => chain.Dispose();
}
