namespace MailerQ.Www.Core.Logging;

/// <summary>Severity of a log line; MailerQ's application log knows info, warning and critical.</summary>
public enum LogLevel
{
    /// <summary>Detail useful when chasing a problem; off unless asked for.</summary>
    Debug,
    /// <summary>Normal operation.</summary>
    Info,
    /// <summary>Something an operator should look at; the process goes on.</summary>
    Warning,
    /// <summary>Something failed.</summary>
    Error,
}
