using MailerQ.Www.Bench.DeliveryLoad;

// Usage (from the repository root; bench/delivery.sh runs the standard set):
//   DeliveryLoad delivery --mailerq out/mailerq --messages 10000 [--connections 10] [--size 1024] [--max-seconds 60]
//   DeliveryLoad inbound  --mailerq out/mailerq [--sessions 10] [--messages 5000] [--rounds 3]
// delivery: pre-fills a fresh data directory's embedded outbox, starts smtp-sink and mailerq (smtp-sink-address
// pointing at it, one throttle: maxActive = --connections for the bench domain), and reports deliveries/s,
// CPU per delivery and RSS (start, peak, end) until the outbox is empty or --max-seconds have passed.
// inbound: smtp-source against mailerq's durable spool and against smtp-sink (no disk), alternating rounds.
var options = Options.Parse(args);
return options.Mode switch
{
    "delivery" => await DeliveryRun.RunAsync(options),
    "inbound" => await InboundRun.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: DeliveryLoad delivery|inbound --mailerq PATH [--messages N] [--connections N] [--size BYTES] [--max-seconds S] [--sessions N] [--rounds N] [--keep]");
    return 2;
}
