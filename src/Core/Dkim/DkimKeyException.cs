namespace MailerQ.Www.Core.Dkim;

/// <summary>A DKIM key or signing setting that cannot be used; the message says which and why.</summary>
internal sealed class DkimKeyException : Exception
{
    public DkimKeyException()
    {
    }

    public DkimKeyException(string message)
        : base(message)
    {
    }

    public DkimKeyException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
