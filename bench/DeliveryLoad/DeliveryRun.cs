using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace MailerQ.Www.Bench.DeliveryLoad;

/// <summary>
/// Outbound deliveries/s to Postfix's smtp-sink over a throttled number of connections, with mailerq's RSS and
/// CPU (issue 8 "Performance"): pre-filled outbox, one domain, the sink as the only next hop.
/// </summary>
internal static class DeliveryRun
{
    public static async Task<int> RunAsync(Options o)
    {
        string work = Directory.CreateTempSubdirectory("mailerq-delivery.").FullName;
        string data = Path.Combine(work, "var");
        try
        {
            int sinkPort = Child.FreePort();
            string[] extra =
            [
                "smtp-sink-address: 127.0.0.1",
                $"smtp-sink-port: {sinkPort}",
            ];

            // 1. A first start on the empty data directory, only to store the throttle in its settings database.
            using (var setup = await Mailerq.StartAsync(o.Mailerq, work, "setup", data, Child.FreePort(), extra))
            {
                await setup.AddThrottleAsync(
                    $"{{\"name\":\"bench\",\"priority\":1,\"patterns\":[{{\"mta\":\"*\",\"domain\":\"{Prefill.Domain}\"}}],\"domain\":{{\"maxActive\":{o.Connections}}}}}");
                Console.Error.WriteLine($"# throttle: {await setup.GetAsync($"api/throttles/effective?mta=&domain={Prefill.Domain}")}");
            }

            // 2. The outbox.
            var prefill = Prefill.Run(data, o.Messages, o.Size);
            Console.Error.WriteLine($"# pre-filled {o.Messages} messages in {prefill.TotalSeconds:F1} s");

            // 3. The sink, then mailerq.
            using var sink = Child.Start("smtp-sink", Path.Combine(work, "smtp-sink.log"), "/usr/sbin/smtp-sink", "-u", "nobody", $"127.0.0.1:{sinkPort}", "1000");
            await Child.WaitForPortAsync(sinkPort, TimeSpan.FromSeconds(10));
            using var mailerq = await Mailerq.StartAsync(o.Mailerq, work, "mailerq", data, Child.FreePort(), extra);
            var ready = mailerq.Child.Memory();
            var cpuReady = mailerq.Child.CpuSplit();
            var sinkCpuReady = sink.Cpu();
            Console.Error.WriteLine($"# mailerq answered in {mailerq.StartTime.TotalMilliseconds:F0} ms, RSS {Mb(ready.Rss)}");

            // 4. Until every message has a final result and the outbox is empty, or the time is up.
            var tail = new SendLogTail(mailerq.SendLog);
            var clock = Stopwatch.StartNew();
            TimeSpan? firstSeen = null;
            long maxRss = ready.Rss;
            string outbox = Path.Combine(data, "queue", "outbox");
            long remaining = -1;
            bool timedOut = false;
            var cpuSamples = new List<(long UnixMs, TimeSpan User, TimeSpan System)>();
            var rssSamples = new List<long>();
            while (true)
            {
                await Task.Delay(250);
                var (user, system) = mailerq.Child.CpuSplit();
                cpuSamples.Add((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), user, system));
                tail.Poll();
                long rssNow = mailerq.Child.Memory().Rss;
                maxRss = Math.Max(maxRss, rssNow);
                if (firstSeen is not null)
                    rssSamples.Add(rssNow);
                if (firstSeen is null && tail.Delivered + tail.Failed + tail.Retried > 0)
                    firstSeen = clock.Elapsed;
                if (tail.Delivered + tail.Failed >= o.Messages)
                {
                    remaining = Directory.EnumerateFiles(outbox).LongCount();
                    if (remaining == 0)
                        break;
                }
                if (firstSeen is { } f && clock.Elapsed - f > TimeSpan.FromSeconds(o.MaxSeconds) || clock.Elapsed > TimeSpan.FromSeconds(o.MaxSeconds + 60))
                {
                    timedOut = true;
                    remaining = Directory.EnumerateFiles(outbox).LongCount();
                    break;
                }
                if (mailerq.Child.HasExited)
                    throw new InvalidOperationException("mailerq exited during the run");
            }
            var end = mailerq.Child.Memory();
            var cpuEnd = mailerq.Child.CpuSplit();
            var sinkCpuEnd = sink.Cpu();
            string history = await mailerq.GetAsync("api/stats/history?seconds=3600");
            var (total, window, medianPerSecond) = Rates(history);
            var steady = Steady(history, cpuSamples);

            long delivered = tail.Delivered;
            double PerDelivery(TimeSpan t) => delivered > 0 ? t.TotalMilliseconds / delivered : 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"delivery messages={o.Messages} size={o.Size} connections={o.Connections} delivered={delivered} failed={tail.Failed} retried={tail.Retried} " +
                $"outbox_left={remaining} timed_out={timedOut.ToString().ToLowerInvariant()} " +
                $"window_s={window} rate_per_s={(window > 0 ? total / (double)window : 0):F0} median_second={medianPerSecond:F0} " +
                $"healthz_ms={mailerq.StartTime.TotalMilliseconds:F0} " +
                $"rss_ready_mb={Mb(ready.Rss)} rss_by_quarter_mb={Quarters(rssSamples)} rss_max_sampled_mb={Mb(maxRss)} rss_peak_hwm_mb={Mb(end.Peak)} rss_end_mb={Mb(end.Rss)} " +
                $"steady_s={steady.Seconds} steady_rate={steady.Rate:F0} steady_user_ms={steady.User:F3} steady_sys_ms={steady.System:F3} " +
                $"cpu_ms_per_delivery={PerDelivery(cpuEnd.User + cpuEnd.System - cpuReady.User - cpuReady.System):F3} user={PerDelivery(cpuEnd.User - cpuReady.User):F3} sys={PerDelivery(cpuEnd.System - cpuReady.System):F3} sink_cpu_ms_per_delivery={(delivered > 0 ? (sinkCpuEnd - sinkCpuReady).TotalMilliseconds / delivered : 0):F3} " +
                $"prefill_s={prefill.TotalSeconds:F1}"));
            if (tail.LastFailure is { } failure)
                Console.Error.WriteLine($"# last failure/retry: {failure}");
            mailerq.Child.Stop(TimeSpan.FromSeconds(15));
            return delivered + tail.Failed >= o.Messages || timedOut ? 0 : 1;
        }
        finally
        {
            if (o.Keep)
                Console.Error.WriteLine($"# kept {work}");
            else
                Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// From the server's own per-second counters (GET /api/stats/history): total deliveries, the seconds from the
    /// first to the last second with deliveries (partial seconds at both ends included), and the median of the full
    /// seconds in between.
    /// </summary>
    private static (long Total, int Window, double Median) Rates(string history)
    {
        using var doc = JsonDocument.Parse(history);
        var series = doc.RootElement.GetProperty("deliveries").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        int first = Array.FindIndex(series, v => v > 0);
        int last = Array.FindLastIndex(series, v => v > 0);
        if (first < 0)
            return (0, 0, 0);
        long total = series[first..(last + 1)].Sum();
        var inner = series.Length > 2 && last - first >= 2 ? series[(first + 1)..last].Order().ToArray() : series[first..(last + 1)];
        double median = inner.Length == 0 ? 0 : inner[inner.Length / 2];
        return (total, last - first + 1, median);
    }

    /// <summary>
    /// The steady part of the run: the whole seconds from the third second with deliveries to the one before the
    /// last (start-up indexing, JIT and the tail end left out), with the deliveries the server counted in them and
    /// mailerq's CPU over the same wall-clock span (interpolated between the 250 ms samples).
    /// </summary>
    private static (int Seconds, double Rate, double User, double System) Steady(string history, List<(long UnixMs, TimeSpan User, TimeSpan System)> cpu)
    {
        using var doc = JsonDocument.Parse(history);
        long start = doc.RootElement.GetProperty("start").GetInt64();
        var series = doc.RootElement.GetProperty("deliveries").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        int first = Array.FindIndex(series, v => v > 0) + 2;
        int last = Array.FindLastIndex(series, v => v > 0) - 1;
        if (first <= 1 || last <= first)
            return (0, 0, 0, 0);
        long deliveries = series[first..last].Sum();
        long fromMs = (start + first) * 1000, toMs = (start + last) * 1000;
        (double User, double System) At(long ms)
        {
            for (int i = 1; i < cpu.Count; i++)
            {
                if (cpu[i].UnixMs < ms)
                    continue;
                var (a, b) = (cpu[i - 1], cpu[i]);
                double f = b.UnixMs == a.UnixMs ? 0 : (ms - a.UnixMs) / (double)(b.UnixMs - a.UnixMs);
                return (a.User.TotalMilliseconds + f * (b.User - a.User).TotalMilliseconds, a.System.TotalMilliseconds + f * (b.System - a.System).TotalMilliseconds);
            }
            return (cpu[^1].User.TotalMilliseconds, cpu[^1].System.TotalMilliseconds);
        }
        var (u0, s0) = At(fromMs);
        var (u1, s1) = At(toMs);
        int seconds = last - first;
        return deliveries == 0 ? (seconds, 0, 0, 0) : (seconds, deliveries / (double)seconds, (u1 - u0) / deliveries, (s1 - s0) / deliveries);
    }

    /// <summary>RSS at the end of each quarter of the delivering time: flat means memory does not grow with the messages sent.</summary>
    private static string Quarters(List<long> samples) => samples.Count < 4 ? "-" :
        string.Join('/', Enumerable.Range(1, 4).Select(q => Mb(samples[q * samples.Count / 4 - 1])));

    internal static string Mb(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);
}
