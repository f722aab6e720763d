namespace MailerQ.Www.Core.Config;

/// <summary>One finding about the configuration, printed as <c>ORIGIN: key: message</c>.</summary>
/// <param name="Severity">Warning or error.</param>
/// <param name="Origin">Where the offending value (or line) was written.</param>
/// <param name="Key">The canonical key, or null when the line has no usable key (syntax errors, unreadable files).</param>
/// <param name="Message">The reason, without origin or key.</param>
public sealed record ConfigDiagnostic(ConfigSeverity Severity, ConfigOrigin Origin, string? Key, string Message)
{
    /// <summary>The CONTRACT.md form <c>FILE:LINE: key: reason</c> (no key part when <see cref="Key"/> is null).</summary>
    public override string ToString() =>
        Key is null ? $"{Origin}: {Message}" : $"{Origin}: {Key}: {Message}";
}
