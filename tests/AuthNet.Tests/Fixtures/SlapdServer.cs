using System.Net;

namespace MailerQ.Www.AuthNet.Tests.Fixtures;

/// <summary>
/// A private slapd (shared recipe + tests/AuthNet.Tests/Fixtures/slapd.conf.tpl) in a temporary
/// directory: plain LDAP on 127.0.0.1:<see cref="Port"/>, LDAPS on 127.0.0.1 and 127.0.0.2 at
/// <see cref="TlsPort"/>, with the people of <see cref="People"/> loaded by ldapadd.
/// </summary>
internal sealed class SlapdServer : IAsyncDisposable
{
    public const string Suffix = "dc=example,dc=org";
    public const string PeopleDn = "ou=people," + Suffix;
    public const string RootDn = "cn=admin," + Suffix;
    public const string RootPassword = "root-secret";
    public const string AlicePassword = "alice-pw";
    /// <summary>A real uid full of DN specials: the login must escape it exactly to bind.</summary>
    public const string OddUid = "a,b=c+d";
    public const string OddPassword = "odd-pw";

    private const string People = $"""
        dn: {Suffix}
        objectClass: dcObject
        objectClass: organization
        o: Example
        dc: example

        dn: {PeopleDn}
        objectClass: organizationalUnit
        ou: people

        dn: uid=alice,{PeopleDn}
        objectClass: inetOrgPerson
        uid: alice
        cn: Alice
        sn: A
        userPassword: {AlicePassword}

        dn: uid=a\2Cb\3Dc\2Bd,{PeopleDn}
        objectClass: inetOrgPerson
        uid: {OddUid}
        cn: Odd
        sn: O
        userPassword: {OddPassword}

        """;

    private readonly TempDir _dir;
    private readonly ServerProcess _process;

    private SlapdServer(TempDir dir, ServerProcess process, TestCertificates certificates, int port, int tlsPort)
    {
        _dir = dir;
        _process = process;
        Certificates = certificates;
        Port = port;
        TlsPort = tlsPort;
    }

    public TestCertificates Certificates { get; }
    public int Port { get; }
    public int TlsPort { get; }
    public int Pid => _process.Pid;
    public string Output => _process.Output;

    public static async Task<SlapdServer> StartAsync()
    {
        var dir = new TempDir("slapd");
        try
        {
            Directory.CreateDirectory(dir.File("db"));
            var certificates = await TestCertificates.CreateAsync(dir.Path);
            string rootHash = (await Tool.RunAsync("slappasswd", "-s", RootPassword)).Trim();
            string template = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "slapd.conf.tpl"));
            dir.Write("slapd.conf", template.Replace("@DIR@", dir.Path, StringComparison.Ordinal).Replace("@ROOTPW@", rootHash, StringComparison.Ordinal));
            dir.Write("people.ldif", People);

            int port = FreePort.Tcp();
            int tlsPort = FreePort.Tcp();
            // -d 0: stay in the foreground (our child, our PID) without debug output.
            var process = ServerProcess.Start("slapd",
                "-h", $"ldap://127.0.0.1:{port}/ ldaps://127.0.0.1:{tlsPort}/ ldaps://127.0.0.2:{tlsPort}/",
                "-f", dir.File("slapd.conf"), "-d", "0");
            var server = new SlapdServer(dir, process, certificates, port, tlsPort);
            try
            {
                await process.WaitForTcpAsync(IPAddress.Loopback, port);
                await Tool.RunAsync("ldapadd", "-x", "-H", $"ldap://127.0.0.1:{port}/", "-D", RootDn, "-w", RootPassword, "-f", dir.File("people.ldif"));
                return server;
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    public Task StopAsync() => _process.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _dir.Dispose();
    }
}
