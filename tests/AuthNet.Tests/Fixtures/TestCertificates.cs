namespace MailerQ.Www.AuthNet.Tests.Fixtures;

/// <summary>
/// A private test CA and a server certificate it signed for <c>localhost</c> and <c>127.0.0.1</c>
/// (not 127.0.0.2, so a connection to that address fails the name check), plus an unrelated CA that
/// trusts nothing the server has. Made with the openssl binary, like an operator would.
/// </summary>
internal sealed record TestCertificates(string CaFile, string ServerCertificateFile, string ServerKeyFile, string OtherCaFile)
{
    public static async Task<TestCertificates> CreateAsync(string directory)
    {
        string Path(string name) => System.IO.Path.Combine(directory, name);
        await MakeCaAsync(Path("ca.pem"), Path("ca.key"), "MailerQ test CA");
        await MakeCaAsync(Path("other-ca.pem"), Path("other-ca.key"), "Unrelated test CA");
        await Tool.RunAsync("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", Path("server.key"), "-out", Path("server.csr"), "-subj", "/CN=localhost");
        await File.WriteAllTextAsync(Path("server.ext"),
            "basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n");
        await Tool.RunAsync("openssl", "x509", "-req", "-in", Path("server.csr"), "-CA", Path("ca.pem"), "-CAkey", Path("ca.key"),
            "-CAcreateserial", "-out", Path("server.pem"), "-days", "2", "-extfile", Path("server.ext"));
        return new TestCertificates(Path("ca.pem"), Path("server.pem"), Path("server.key"), Path("other-ca.pem"));
    }

    private static Task MakeCaAsync(string certificate, string key, string name) =>
        Tool.RunAsync("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=" + name,
            "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
}
