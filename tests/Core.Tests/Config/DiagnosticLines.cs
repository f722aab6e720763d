using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Core.Tests.Config;

/// <summary>Diagnostics as the program prints them, one string per line.</summary>
internal static class DiagnosticLines
{
    public static string[] Of(ConfigDiagnostics diagnostics)
    {
        var lines = new string[diagnostics.Count];
        for (int i = 0; i < lines.Length; i++)
            lines[i] = diagnostics[i].ToString();
        return lines;
    }
}
