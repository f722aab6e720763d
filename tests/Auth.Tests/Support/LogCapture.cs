using System.Text;
using MailerQ.Www.Core.Logging;

namespace MailerQ.Www.Auth.Tests.Support;

/// <summary>Collects the process log while a test runs. Tests using it sit in <see cref="LogCollection"/>, which runs alone.</summary>
internal sealed class LogCapture : IDisposable
{
    private readonly StringWriter _writer = new(new StringBuilder());
    private readonly LogLevel _level;

    public LogCapture(LogLevel minimum = LogLevel.Debug)
    {
        _level = Log.MinimumLevel;
        Log.MinimumLevel = minimum;
        Log.SetWriter(TextWriter.Synchronized(_writer));
    }

    public string Text
    {
        get
        {
            lock (_writer) return _writer.ToString();
        }
    }

    public void Dispose()
    {
        Log.SetWriter(Console.Error);
        Log.MinimumLevel = _level;
    }
}
