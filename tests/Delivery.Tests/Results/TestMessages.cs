using System.Text.Json.Nodes;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Smtp.Delivery;
using MailerQ.Www.Smtp.Delivery.Messages;

namespace MailerQ.Www.Delivery.Tests.Results;

internal static class TestMessages
{
    public const string Mime =
        "From: \"Alice Sender\" <alice@sender.example>\r\n" +
        "To: Bob <bob@example.org>, carol@example.org\r\n" +
        "Subject: Quarterly report\r\n" +
        "Message-ID: <abc123@sender.example>\r\n" +
        "Received: from a\r\n" +
        "Received: from b\r\n" +
        "\r\n" +
        "Hello Bob,\r\nthe numbers are in.\r\n";

    public static readonly DateTimeOffset Start = new(2026, 11, 26, 13, 45, 12, TimeSpan.Zero);

    /// <summary>An outbox message from JSON text (mime inline or given apart).</summary>
    public static OutboxMessage Parse(string json, string? mime = Mime)
    {
        var obj = (JsonObject)JsonNode.Parse(json)!;
        if (mime is not null && obj["mime"] is null)
            obj["mime"] = mime;
        var message = OutboxJson.FromObject("0190aaaabbbbccccddddeeeeffff0000", obj, out var error);
        Assert.True(message is not null, error);
        return message;
    }

    public static OutboxMessage Simple(string extra = "") =>
        Parse("{\"envelope\":\"alice@sender.example\",\"recipient\":\"bob@example.org\"" + extra + "}");

    public static AttemptResult Temporary(DateTimeOffset time, int code = 451, string status = "4.3.0") => new()
    {
        State = DeliveryStates.RcptTo,
        Result = DeliveryResults.Error,
        Code = code,
        Status = status,
        Description = "Try again later",
        Time = time,
        Mta = "mx.example.org",
        From = "192.0.2.10",
        To = "198.51.100.7",
    };

    public static AttemptResult Permanent(DateTimeOffset time) => new()
    {
        State = DeliveryStates.RcptTo,
        Result = DeliveryResults.Error,
        Code = 550,
        Status = "5.1.1",
        Description = "No such user here",
        Time = time,
        Mta = "mx.example.org",
        From = "192.0.2.10",
        To = "198.51.100.7",
    };

    public static AttemptResult Success(DateTimeOffset time) => new()
    {
        State = DeliveryStates.Message,
        Result = DeliveryResults.Accepted,
        Code = 250,
        Status = "2.0.0",
        Description = "Ok: queued as 4F2",
        Time = time,
        Mta = "mx.example.org",
        From = "192.0.2.10",
        To = "198.51.100.7",
        Messages = 3,
        SentConnection = 4096,
        SentData = 1234,
        Dsn = true,
        Cipher = new TlsSummary("TLS_AES_256_GCM_SHA384", 256, "TLSv1.3", true),
    };

    /// <summary>A config as the program layers it, from <c>--key=value</c> arguments.</summary>
    public static ConfigSet Config(params string[] args)
    {
        var diagnostics = new ConfigDiagnostics();
        return ConfigLoader.Load(CommandLine.Parse(args, diagnostics), new Dictionary<string, string>(), null, diagnostics);
    }

    /// <summary>A config from a file, so diagnostics carry FILE:LINE.</summary>
    public static ConfigSet ConfigFile(string directory, string text)
    {
        string path = Path.Combine(directory, "config.txt");
        File.WriteAllText(path, text);
        return Config("--config-file", path);
    }
}
