namespace MailerQ.Www.Core.Config;

/// <summary>How bad a config diagnostic is: warnings are printed, errors stop the start.</summary>
public enum ConfigSeverity
{
    /// <summary>Printed; the server still starts (unknown keys, a key set twice).</summary>
    Warning,

    /// <summary>The server must not start; <c>--check-config</c> exits 2.</summary>
    Error,
}
