namespace MailerQ.Www.Core.Config;

/// <summary>
/// Where a config value came from: a file and its 1-based line, or a name without a line
/// (an environment variable such as <c>MAILERQ_WWW_PORT</c>, an argument such as <c>--www-port</c>,
/// or the built-in defaults). Diagnostics start with it, so operators can jump to the line.
/// </summary>
public readonly record struct ConfigOrigin(string Source, int Line)
{
    /// <summary>Values nobody configured: MailerQ's documented defaults (see <see cref="KnownKeys"/>).</summary>
    public static ConfigOrigin Default { get; } = new("default", 0);

    /// <summary>A line of a config file.</summary>
    public static ConfigOrigin File(string path, int line) => new(path, line);

    /// <summary>An environment variable or a command-line argument: the name is the whole location.</summary>
    public static ConfigOrigin Named(string name) => new(name, 0);

    /// <summary>True for the built-in defaults layer.</summary>
    public bool IsDefault => this == Default;

    /// <summary><c>FILE:LINE</c> for file lines, else just the name.</summary>
    public override string ToString()
    {
        var source = Source ?? string.Empty;
        return Line > 0 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{source}:{Line}") : source;
    }
}
