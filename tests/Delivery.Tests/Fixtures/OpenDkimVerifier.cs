using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace MailerQ.Www.Delivery.Tests.Fixtures;

/// <summary>
/// An independent DKIM verifier: Debian's <c>opendkim</c> in test mode (<c>opendkim -x CONF -t FILE</c>),
/// which verifies a message file and exits without a milter socket. Its resolver is libunbound, pointed
/// at our private unbound through <c>ResolverConfiguration</c> (a forward zone for ".").
/// </summary>
/// <remarks>
/// <c>opendkim-testmsg</c> (opendkim-tools) was the first choice, but it always uses the system resolver
/// (/etc/resolv.conf, port 53) and takes no configuration, so it cannot reach a private server on a high port.
/// </remarks>
internal sealed partial class OpenDkimVerifier : IDisposable
{
    private readonly string _directory;
    private readonly string _config;
    private int _files;

    public OpenDkimVerifier(IPEndPoint dns)
    {
        _directory = Directory.CreateTempSubdirectory("mailerq-opendkim-").FullName;
        string resolver = Path.Combine(_directory, "unbound-client.conf");
        // libunbound has "test." among its default local zones (RFC 6761) and would answer NXDOMAIN itself.
        File.WriteAllText(resolver, $"""
            server:
              do-not-query-localhost: no
              module-config: "iterator"
              local-zone: "test." nodefault
            forward-zone:
              name: "."
              forward-addr: {dns.Address}@{dns.Port}
            """);
        _config = Path.Combine(_directory, "opendkim.conf");
        File.WriteAllText(_config, $"""
            Mode v
            Syslog no
            ResolverConfiguration {resolver}
            MinimumKeyBits 1024
            AlwaysAddARHeader yes
            """);
    }

    /// <summary>One line per signature from opendkim's Authentication-Results, e.g. <c>dkim=pass … header.s=rsa</c>.</summary>
    public async Task<OpenDkimResult> VerifyAsync(byte[] message)
    {
        string file = Path.Combine(_directory, $"msg{Interlocked.Increment(ref _files)}.eml");
        await File.WriteAllBytesAsync(file, message);
        var psi = new ProcessStartInfo("opendkim")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "-x", _config, "-vvv", "-t", file })
            psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start opendkim");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        string output = await stdout + await stderr;
        var results = new List<(string Selector, string Result)>();
        foreach (Match m in DkimResult().Matches(output))
            results.Add((m.Groups["s"].Value, m.Groups["r"].Value));
        return new OpenDkimResult(results, output);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // left in /tmp; harmless
        }
    }

    [GeneratedRegex(@"dkim=(?<r>[a-z]+)(?:\s+reason=""[^""]*"")?(?:\s+\([^)]*\))?[^;'(]*?header\.s=(?<s>[A-Za-z0-9_.-]+)")]
    private static partial Regex DkimResult();
}

/// <summary>What opendkim said: (selector, pass|fail|neutral|…) per signature, and its full output for failure messages.</summary>
internal sealed record OpenDkimResult(IReadOnlyList<(string Selector, string Result)> Signatures, string Output);
