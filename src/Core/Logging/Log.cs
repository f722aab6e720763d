using System.Text;

namespace MailerQ.Www.Core.Logging;

/// <summary>
/// One line per event on stderr: <c>time level component message key=value…</c> (the contract's log
/// format). Lines are written whole under a lock so concurrent writers never interleave.
/// </summary>
public static class Log
{
    private static readonly Lock Gate = new();
    private static TextWriter _writer = Console.Error;

    /// <summary>Lines below this level are dropped.</summary>
    public static LogLevel MinimumLevel { get; set; } = LogLevel.Info;

    /// <summary>Redirects output (tests, embedding hosts).</summary>
    public static void SetWriter(TextWriter writer) => _writer = writer;

    /// <summary>Writes one event. <paramref name="fields"/> is already <c>key=value</c> text.</summary>
    public static void Write(LogLevel level, string component, string message, string? fields = null)
    {
        if (level < MinimumLevel) return;
        var sb = new StringBuilder(96);
        sb.Append(DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture))
          .Append(' ').Append(LevelName(level))
          .Append(' ').Append(component)
          .Append(' ').Append(message);
        if (!string.IsNullOrEmpty(fields)) sb.Append(' ').Append(fields);
        lock (Gate)
        {
            _writer.WriteLine(sb.ToString());
            _writer.Flush();
        }
    }

    /// <summary>Info line.</summary>
    public static void Info(string component, string message, string? fields = null) => Write(LogLevel.Info, component, message, fields);

    /// <summary>Warning line.</summary>
    public static void Warning(string component, string message, string? fields = null) => Write(LogLevel.Warning, component, message, fields);

    /// <summary>Error line.</summary>
    public static void Error(string component, string message, string? fields = null) => Write(LogLevel.Error, component, message, fields);

    /// <summary>Debug line.</summary>
    public static void Debug(string component, string message, string? fields = null) => Write(LogLevel.Debug, component, message, fields);

    /// <summary>Quotes a value for a <c>key=value</c> field when it holds spaces, quotes or controls.</summary>
    public static string Quote(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "\"\"";
        foreach (char c in value)
        {
            if (c <= ' ' || c == '"' || c == '\\' || c == '=' || c == 0x7f)
                return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
                    .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal) + "\"";
        }
        return value;
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Debug => "debug",
        LogLevel.Info => "info",
        LogLevel.Warning => "warning",
        _ => "error",
    };
}
