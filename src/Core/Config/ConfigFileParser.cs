namespace MailerQ.Www.Core.Config;

/// <summary>
/// MailerQ's config file format (5.13/configuration.md): one <c>key: value</c> per line, white space
/// around key and value ignored, lines whose first non-blank character is <c>#</c> are comments,
/// blank lines are skipped. Only <c>:</c> separates key and value, as in MailerQ; <c>key = value</c> is an error.
/// </summary>
/// <remarks>
/// The file is read once at start-up and is bounded by <see cref="ConfigLimits.MaxFileBytes"/>, so a line
/// splitter over a string is enough; the SequenceReader state-machine rule is for network input.
/// There are no trailing comments: a <c>#</c> after a value is part of it (passwords, URLs with fragments).
/// </remarks>
internal static class ConfigFileParser
{
    /// <summary>Syntax error for a line with no <c>:</c>.</summary>
    public const string ExpectedKeyValue = "syntax: expected \"key: value\"";

    /// <summary>Parses <paramref name="text"/>; entries keep file order, repeated keys included.</summary>
    /// <param name="text">The whole file.</param>
    /// <param name="source">The file name used in origins.</param>
    /// <param name="diagnostics">Receives one error per bad line; parsing continues after it.</param>
    public static List<ConfigEntry> Parse(string text, string source, ConfigDiagnostics diagnostics)
    {
        var entries = new List<ConfigEntry>();
        var rest = text.AsSpan();
        if (rest.Length > 0 && rest[0] == '\uFEFF')
            rest = rest[1..];

        int lineNumber = 0;
        while (rest.Length > 0 || lineNumber == 0)
        {
            lineNumber++;
            int newline = rest.IndexOf('\n');
            var line = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? [] : rest[(newline + 1)..];

            // Trim() also drops the CR of CRLF files.
            var trimmed = line.Trim();
            if (trimmed.IsEmpty || trimmed[0] == '#')
                continue;

            var origin = ConfigOrigin.File(source, lineNumber);
            int colon = trimmed.IndexOf(':');
            if (colon < 0)
            {
                diagnostics.Error(origin, null, ExpectedKeyValue);
                continue;
            }

            var key = trimmed[..colon].Trim();
            if (key.IsEmpty)
            {
                diagnostics.Error(origin, null, "syntax: empty key before \":\"");
                continue;
            }
            if (!IsKey(key))
            {
                diagnostics.Error(origin, null, $"syntax: {ConfigText.Quote(key.ToString())} is not a key (letters, digits, \"-\" and \"_\")");
                continue;
            }

            entries.Add(new ConfigEntry(key.ToString().ToLowerInvariant(), trimmed[(colon + 1)..].Trim().ToString(), origin));
        }
        return entries;
    }

    /// <summary>
    /// MailerQ keys are lower-case words joined by <c>-</c>; <c>_</c> is allowed so <c>www_port</c> gets the
    /// friendlier "unknown key" warning, but white space or <c>=</c> means the line is not <c>key: value</c>
    /// (for example <c>www-url = http://host</c>).
    /// </summary>
    internal static bool IsKey(ReadOnlySpan<char> key)
    {
        foreach (char c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
                return false;
        }
        return true;
    }
}
