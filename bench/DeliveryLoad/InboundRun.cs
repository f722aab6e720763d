using System.Diagnostics;
using System.Globalization;

namespace MailerQ.Www.Bench.DeliveryLoad;

/// <summary>
/// Inbound messages/s (issue 10 point 3): Postfix's smtp-source against mailerq's durable spool (fsync before every
/// 250) and, in the same run, against smtp-sink (accepts and discards: the receive-only ceiling), alternating
/// who goes first. Mail goes to the <c>inbox</c> queue (<c>rabbitmq-inbox</c>), which delivery does not consume, so
/// the file count proves that every acknowledged message is on disk.
/// </summary>
internal static class InboundRun
{
    public static async Task<int> RunAsync(Options o)
    {
        string work = Directory.CreateTempSubdirectory("mailerq-inbound.").FullName;
        string data = Path.Combine(work, "var");
        try
        {
            int sinkPort = Child.FreePort(), smtpPort = Child.FreePort();
            using var sink = Child.Start("smtp-sink", Path.Combine(work, "smtp-sink.log"), "/usr/sbin/smtp-sink", "-u", "nobody", $"127.0.0.1:{sinkPort}", "1000");
            await Child.WaitForPortAsync(sinkPort, TimeSpan.FromSeconds(10));
            using var mailerq = await Mailerq.StartAsync(o.Mailerq, work, "mailerq", data, smtpPort,
                ["rabbitmq-inbox: inbox", "smtp-connections: 1000"]);
            await Child.WaitForPortAsync(smtpPort, TimeSpan.FromSeconds(10));
            string inbox = Path.Combine(data, "queue", "inbox");

            // Warm-up (JIT, connection paths) on both, not counted.
            await SourceAsync(sinkPort, o.Sessions, Math.Min(500, o.Messages), o.Size);
            await SourceAsync(smtpPort, o.Sessions, Math.Min(500, o.Messages), o.Size);
            long expected = Directory.EnumerateFiles(inbox).LongCount();

            var ours = new List<double>();
            var ceiling = new List<double>();
            var cpu = new List<double>();
            var switches = new List<double>();
            bool lossless = true;
            for (int round = 0; round < o.Rounds; round++)
            {
                for (int turn = 0; turn < 2; turn++)
                {
                    bool oursTurn = (round + turn) % 2 == 0;
                    if (oursTurn)
                    {
                        var cpuBefore = mailerq.Child.Cpu();
                        long switchesBefore = mailerq.Child.ContextSwitches();
                        var seconds = await SourceAsync(smtpPort, o.Sessions, o.Messages, o.Size);
                        cpu.Add((mailerq.Child.Cpu() - cpuBefore).TotalMilliseconds / o.Messages);
                        switches.Add((double)(mailerq.Child.ContextSwitches() - switchesBefore) / o.Messages);
                        expected += o.Messages;
                        long stored = Directory.EnumerateFiles(inbox).LongCount();
                        lossless &= stored == expected;
                        ours.Add(o.Messages / seconds);
                        Console.Error.WriteLine($"# round {round + 1} ours:  {seconds:F2} s, {o.Messages / seconds:F0} msg/s, stored {stored}/{expected}");
                    }
                    else
                    {
                        var seconds = await SourceAsync(sinkPort, o.Sessions, o.Messages, o.Size);
                        ceiling.Add(o.Messages / seconds);
                        Console.Error.WriteLine($"# round {round + 1} sink:  {seconds:F2} s, {o.Messages / seconds:F0} msg/s");
                    }
                }
            }
            double oursMedian = Median(ours), sinkMedian = Median(ceiling);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"inbound sessions={o.Sessions} messages={o.Messages} size={o.Size} rounds={o.Rounds} ours_per_s={oursMedian:F0} sink_per_s={sinkMedian:F0} " +
                $"ratio={oursMedian / sinkMedian:F2} ours_rounds={string.Join('/', ours.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)))} " +
                $"sink_rounds={string.Join('/', ceiling.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)))} " +
                $"cpu_ms_per_message={Median(cpu):F3} context_switches_per_message={Median(switches):F1} all_acknowledged_stored={lossless.ToString().ToLowerInvariant()} rss_peak_mb={DeliveryRun.Mb(mailerq.Child.Memory().Peak)}"));
            return lossless ? 0 : 1;
        }
        finally
        {
            if (o.Keep)
                Console.Error.WriteLine($"# kept {work}");
            else
                Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Runs smtp-source; wall seconds. A non-zero exit (a refused or failed message) is an error.</summary>
    private static async Task<double> SourceAsync(int port, int sessions, int messages, int size)
    {
        var info = new ProcessStartInfo("/usr/sbin/smtp-source") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-s", sessions.ToString(CultureInfo.InvariantCulture), "-m", messages.ToString(CultureInfo.InvariantCulture),
                     "-l", size.ToString(CultureInfo.InvariantCulture), "-f", "sender@source.example", "-t", "rcpt@sink.example", $"127.0.0.1:{port}" })
            info.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        double seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"smtp-source exited {process.ExitCode}: {await stderr}{await stdout}");
        return seconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }
}
