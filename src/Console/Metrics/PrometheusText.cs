using System.Globalization;
using System.Text;

namespace MailerQ.Www.Console.Metrics;

/// <summary>
/// Builds Prometheus' text exposition format 0.0.4: a <c># HELP</c> and <c># TYPE</c> line per metric family,
/// then one sample per line, label values escaped (backslash, double quote, newline).
/// </summary>
internal sealed class PrometheusText
{
    private readonly StringBuilder _text = new(4096);

    public void Family(string name, string type, string help) =>
        _text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
             .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    public void Sample(string name, long value) =>
        _text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    public void Sample(string name, double value) =>
        _text.Append(name).Append(' ').Append(Format(value)).Append('\n');

    public void Sample(string name, string label, string labelValue, long value)
    {
        _text.Append(name).Append('{');
        Label(label, labelValue);
        _text.Append("} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    public void Sample(string name, string label1, string value1, string label2, string value2, long value)
    {
        _text.Append(name).Append('{');
        Label(label1, value1);
        _text.Append(',');
        Label(label2, value2);
        _text.Append("} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    public override string ToString() => _text.ToString();

    /// <summary>Floats as Prometheus reads them: shortest round-trip form, <c>+Inf</c> for infinity.</summary>
    public static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private void Label(string name, string value)
    {
        _text.Append(name).Append("=\"");
        foreach (char c in value)
        {
            switch (c)
            {
                case '\\': _text.Append("\\\\"); break;
                case '"': _text.Append("\\\""); break;
                case '\n': _text.Append("\\n"); break;
                default: _text.Append(c); break;
            }
        }
        _text.Append('"');
    }
}
