using System.Globalization;

namespace MailerQ.Www.Bench.DeliveryLoad;

internal sealed class Options
{
    public string Mode { get; private set; } = "";
    public string Mailerq { get; private set; } = "out/mailerq";
    public int Messages { get; private set; } = 10_000;
    public int Connections { get; private set; } = 10;
    public int Size { get; private set; } = 1024;
    public int MaxSeconds { get; private set; } = 60;
    public int Sessions { get; private set; } = 10;
    public int Rounds { get; private set; } = 3;
    /// <summary>Keep the work directory (data, configs, logs) for inspection.</summary>
    public bool Keep { get; private set; }

    public static Options Parse(string[] args)
    {
        var o = new Options { Mode = args.Length > 0 ? args[0] : "" };
        for (int i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--mailerq": o.Mailerq = Path.GetFullPath(Next()); break;
                case "--messages": o.Messages = Int(); break;
                case "--connections": o.Connections = Int(); break;
                case "--size": o.Size = Int(); break;
                case "--max-seconds": o.MaxSeconds = Int(); break;
                case "--sessions": o.Sessions = Int(); break;
                case "--rounds": o.Rounds = Int(); break;
                case "--keep": o.Keep = true; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        o.Mailerq = Path.GetFullPath(o.Mailerq);
        return o;
    }
}
