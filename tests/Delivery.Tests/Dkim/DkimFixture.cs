using MailerQ.Www.Delivery.Tests.Fixtures;
using MailerQ.Www.Smtp.Dkim;
using MailerQ.Www.Core.Dkim;

namespace MailerQ.Www.Delivery.Tests.Dkim;

/// <summary>
/// Keys generated once per test class, their TXT records served by a private unbound, and opendkim
/// pointed at it. Selectors: <c>rsa</c>, <c>rsa2</c>, <c>ed</c> under <see cref="Domain"/>.
/// </summary>
public sealed class DkimFixture : IAsyncLifetime
{
    public const string Domain = "dkim.test";

    private UnboundServer? _server;
    private OpenDkimVerifier? _opendkim;

    internal DkimKeyMaterial Rsa { get; } = DkimKeyMaterial.GenerateRsa();

    internal DkimKeyMaterial Rsa2 { get; } = DkimKeyMaterial.GenerateRsa();

    internal DkimKeyMaterial Ed { get; } = DkimKeyMaterial.GenerateEd25519();

    internal OpenDkimVerifier OpenDkim => _opendkim ?? throw new InvalidOperationException("not started");

    internal UnboundServer Dns => _server ?? throw new InvalidOperationException("not started");

    internal DkimKeyMaterial KeyFor(string selector) => selector switch
    {
        "rsa" => Rsa,
        "rsa2" => Rsa2,
        "ed" => Ed,
        _ => throw new ArgumentException(selector),
    };

    public async ValueTask InitializeAsync()
    {
        string[] lines =
        [
            $"local-zone: \"{Domain}.\" static",
            $"local-data: \"{Domain}. 3600 IN SOA ns.{Domain}. hostmaster.{Domain}. 1 3600 600 86400 60\"",
            Txt("rsa", Rsa),
            Txt("rsa2", Rsa2),
            Txt("ed", Ed),
        ];
        _server = await UnboundServer.StartAsync(lines);
        _opendkim = new OpenDkimVerifier(_server.EndPoint);
    }

    /// <summary>The record as a zone line: character-strings of at most 255 bytes each.</summary>
    private static string Txt(string selector, DkimKeyMaterial key) =>
        $"local-data: '{DkimKeyMaterial.DnsRecordName(selector, Domain)}. 300 IN TXT {string.Join(' ', key.DnsRecordStrings.Select(s => $"\"{s}\""))}'";

    public async ValueTask DisposeAsync()
    {
        _opendkim?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
