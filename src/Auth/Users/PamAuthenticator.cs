using System.Runtime.InteropServices;
using System.Text;
using MailerQ.Www.Auth.Native;
using MailerQ.Www.Core.Logging;

namespace MailerQ.Www.Auth.Users;

/// <summary>
/// The PAM step of <c>users://</c> (the processor to <see cref="UsersAuthBackend"/>'s mechanism):
/// pam_start → pam_authenticate → pam_acct_mgmt → pam_end. The calls block (Debian's <c>login</c> service
/// sleeps 3 s after a failure via pam_faildelay), so each login runs on a thread of its own, at most
/// <see cref="AuthLimits.MaxConcurrentPam"/> at once, and the caller stops waiting after the timeout. A
/// thread that outlives its timeout still finishes and ends its PAM handle; only then is its slot freed,
/// so stuck PAM modules cannot pile up threads.
/// </summary>
internal sealed class PamAuthenticator
{
    private readonly SemaphoreSlim _slots = new(AuthLimits.MaxConcurrentPam, AuthLimits.MaxConcurrentPam);
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;

    public PamAuthenticator(string service, TimeProvider? timeProvider = null, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        Service = service;
        _time = timeProvider ?? TimeProvider.System;
        _timeout = timeout ?? AuthLimits.PamTimeout;
    }

    /// <summary>The PAM service (a file in /etc/pam.d).</summary>
    public string Service { get; }

    /// <summary>Checks the password and the account; Error when PAM could not answer in time.</summary>
    public async ValueTask<AuthResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        if (!await _slots.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false))
            return new AuthResult(AuthOutcome.Error, UsersAuthBackend.SchemeName, "PAM busy");

        var completion = new TaskCompletionSource<AuthResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                completion.TrySetResult(Check(Service, userName, password));
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                completion.TrySetResult(new AuthResult(AuthOutcome.Error, UsersAuthBackend.SchemeName, "libpam.so.0 not available: " + ex.Message));
            }
            finally
            {
                _slots.Release();
            }
        })
        {
            IsBackground = true,
            Name = "pam",
        };
        try
        {
            thread.Start();
        }
        catch (OutOfMemoryException)
        {
            _slots.Release();
            return new AuthResult(AuthOutcome.Error, UsersAuthBackend.SchemeName, "no thread for PAM");
        }

        var left = _timeout - _time.GetElapsedTime(started);
        if (left < TimeSpan.Zero) left = TimeSpan.Zero;
        try
        {
            return await completion.Task.WaitAsync(left, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.Warning("auth", "PAM did not answer in time", $"service={Log.Quote(Service)} timeout_ms={(long)_timeout.TotalMilliseconds}");
            return new AuthResult(AuthOutcome.Error, UsersAuthBackend.SchemeName, "PAM timeout");
        }
    }

    /// <summary>The blocking PAM transaction. Locked and expired accounts, and passwords that must be changed, are Rejected.</summary>
    internal static unsafe AuthResult Check(string service, string userName, string password)
    {
        int serviceLength = Encoding.UTF8.GetByteCount(service);
        int userLength = Encoding.UTF8.GetByteCount(userName);
        int passwordLength = Encoding.UTF8.GetByteCount(password);
        nuint total = (nuint)(serviceLength + 1 + userLength + 1 + passwordLength + 1);
        byte* memory = (byte*)NativeMemory.AllocZeroed(total);
        byte* servicePtr = memory;
        byte* userPtr = servicePtr + serviceLength + 1;
        byte* passwordPtr = userPtr + userLength + 1;
        nint handle = 0;
        try
        {
            Encoding.UTF8.GetBytes(service, new Span<byte>(servicePtr, serviceLength));
            Encoding.UTF8.GetBytes(userName, new Span<byte>(userPtr, userLength));
            Encoding.UTF8.GetBytes(password, new Span<byte>(passwordPtr, passwordLength));

            var data = new PamConversationData { UserName = userPtr, Password = passwordPtr };
            var conversation = new PamConv { Conversation = PamConversation.Pointer, AppData = &data };

            int rc = LibPam.Start(servicePtr, userPtr, &conversation, &handle);
            if (rc != LibPam.Success)
                return new AuthResult(AuthOutcome.Error, UsersAuthBackend.SchemeName, $"pam_start: {Describe(0, rc)}");

            rc = LibPam.Authenticate(handle, LibPam.FlagSilent | LibPam.FlagDisallowNullAuthToken);
            if (rc == LibPam.Success)
            {
                rc = LibPam.AccountManagement(handle, LibPam.FlagSilent | LibPam.FlagDisallowNullAuthToken);
                var result = rc == LibPam.Success
                    ? new AuthResult(AuthOutcome.Accepted, UsersAuthBackend.SchemeName)
                    : new AuthResult(Classify(rc), UsersAuthBackend.SchemeName, $"pam_acct_mgmt: {Describe(handle, rc)}");
                LibPam.End(handle, rc);
                handle = 0;
                return result;
            }

            var failed = new AuthResult(Classify(rc), UsersAuthBackend.SchemeName, $"pam_authenticate: {Describe(handle, rc)}");
            LibPam.End(handle, rc);
            handle = 0;
            return failed;
        }
        finally
        {
            if (handle != 0)
                LibPam.End(handle, LibPam.AuthError);
            NativeMemory.Clear(memory, total);
            NativeMemory.Free(memory);
        }
    }

    /// <summary>The answers that mean "not this user/password/account"; everything else is PAM failing to answer.</summary>
    private static AuthOutcome Classify(int rc) => rc switch
    {
        LibPam.AuthError or LibPam.UserUnknown or LibPam.MaxTries or LibPam.AccountExpired
            or LibPam.NewAuthTokenRequired or LibPam.PermissionDenied => AuthOutcome.Rejected,
        _ => AuthOutcome.Error,
    };

    private static unsafe string Describe(nint handle, int rc)
    {
        byte* text = LibPam.StrError(handle, rc);
        return text is null ? rc.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Marshal.PtrToStringUTF8((nint)text)} ({rc})";
    }
}
