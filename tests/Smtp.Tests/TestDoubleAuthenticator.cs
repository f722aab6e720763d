using System.Net;

namespace MailerQ.Www.Smtp.Tests;

/// <summary>Test double for the host's smtp-auth chain: one fixed user, and a log of what it was asked.</summary>
internal sealed class TestDoubleAuthenticator(string user, string password) : ISmtpAuthenticator
{
    public List<(string User, IPEndPoint Remote)> Calls { get; } = [];

    public ValueTask<bool> AuthenticateAsync(string userName, string pw, IPEndPoint remote, CancellationToken ct)
    {
        lock (Calls) Calls.Add((userName, remote));
        return ValueTask.FromResult(userName == user && pw == password);
    }
}
