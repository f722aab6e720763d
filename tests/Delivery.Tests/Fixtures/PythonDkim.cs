using System.Diagnostics;

namespace MailerQ.Www.Delivery.Tests.Fixtures;

/// <summary>
/// A third verifier: dkimpy from Debian's <c>python3-dkim</c>, given the TXT record directly (its
/// <c>dnsfunc</c> hook), run with Debian's <c>/usr/bin/python3</c> (the default python3 may be another build).
/// </summary>
internal static class PythonDkim
{
    private const string Script = """
        import sys, dkim
        txt = sys.argv[1].encode()
        message = sys.stdin.buffer.read()
        ok = dkim.DKIM(message).verify(idx=int(sys.argv[2]), dnsfunc=lambda name, timeout=5: txt)
        print("pass" if ok else "fail")
        """;

    /// <summary>Verifies the signature at <paramref name="index"/> (0 = topmost) against <paramref name="txtRecord"/>.</summary>
    public static async Task<bool> VerifyAsync(byte[] message, string txtRecord, int index)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Script);
        psi.ArgumentList.Add(txtRecord);
        psi.ArgumentList.Add(index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start python3");
        await process.StandardInput.BaseStream.WriteAsync(message);
        process.StandardInput.Close();
        string output = await process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"python3-dkim failed ({process.ExitCode}): {error}");
        return output.Trim() == "pass";
    }
}
