using System.Net;
using System.Net.Sockets;
using System.Text;
using MailerQ.Www.Smtp.Client;
using MailerQ.Www.Smtp.Delivery;
using MailerQ.Www.Smtp.Sessions;
using static MailerQ.Www.Delivery.Tests.Client.ClientTestSupport;
using MailerQ.Www.Core.Sessions;

namespace MailerQ.Www.Delivery.Tests.Client;

/// <summary>The client against Postfix's smtp-sink (tests/deps/smtp.txt), the independent peer.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SmtpSinkDeliveryTests
{
    [Fact]
    public async Task Delivers_a_message_and_reports_it_accepted_at_state_message()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var connection = await ConnectAsync(sink.EndPoint, Options());

        var result = await connection.SendAsync(Envelope(), Mime, CancellationToken.None);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(DeliveryStates.Message, result.State);
        Assert.Equal(DeliveryResults.Accepted, result.Result);
        Assert.Equal(250, result.Code);
        Assert.Equal("2.0.0", result.Status);
        Assert.Equal("smtp-sink", result.Mta);
        Assert.Equal("127.0.0.1", result.From);
        Assert.Equal("127.0.0.1", result.To);
        Assert.Equal(1, result.Messages);
        Assert.True(result.Dsn);
        Assert.Null(result.Cipher);
        // The data on the wire: the MIME plus one stuffed dot per dot-led line plus ".\r\n".
        Assert.Equal(Mime.Length + 3 + 3, result.SentData);
        Assert.True(result.SentConnection > result.SentData);
        Assert.Equal(1, (await sink.WaitForAsync(c => c.Messages >= 1)).Messages);

        var dump = Assert.Single(sink.Dumps());
        Assert.Contains("X-Mail-Args: <sender@example.org>", dump);
        Assert.Contains("X-Rcpt-Args: <rcpt@example.net>", dump);
        Assert.Contains("\n.leading dot\n..two dots\n.\nend\n", dump.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Reuses_one_connection_for_several_messages()
    {
        await using var sink = await SmtpSink.StartAsync();
        var connection = await ConnectAsync(sink.EndPoint, Options());

        for (int i = 1; i <= 3; i++)
        {
            var result = await connection.SendAsync(Envelope($"rcpt{i}@example.net"), Mime, CancellationToken.None);
            Assert.True(result.IsSuccess, result.ToString());
            Assert.Equal(i, result.Messages);
            Assert.True(connection.IsUsable);
        }
        Assert.Equal(3, connection.MessagesSent);
        await connection.QuitAsync(CancellationToken.None);
        Assert.False(connection.IsUsable);

        var counters = await sink.WaitForAsync(c => c.Sessions >= 1);
        Assert.Equal((1, 1, 3), counters);
    }

    [Fact]
    public async Task Pipelines_MAIL_RCPT_and_DATA_in_one_write_when_the_peer_offers_PIPELINING()
    {
        await using var sink = await SmtpSink.StartAsync();
        var trace = new CapturingTrace();
        await using var connection = await ConnectAsync(sink.EndPoint, Options(o => o.Trace = trace));
        Assert.True(connection.Extensions.HasFlag(SmtpExtensions.Pipelining));

        Assert.True((await connection.SendAsync(Envelope(), Mime, CancellationToken.None)).IsSuccess);

        var group = Assert.Single(trace.Chunks(), c => c.FromClient && Text(c.Bytes).Contains("MAIL FROM:"));
        Assert.Equal("MAIL FROM:<sender@example.org>\r\nRCPT TO:<rcpt@example.net>\r\nDATA\r\n", Text(group.Bytes));
    }

    [Fact]
    public async Task Sends_one_command_per_round_trip_without_PIPELINING()
    {
        await using var sink = await SmtpSink.StartAsync("-p");
        var trace = new CapturingTrace();
        await using var connection = await ConnectAsync(sink.EndPoint, Options(o => o.Trace = trace));

        Assert.True((await connection.SendAsync(Envelope(), Mime, CancellationToken.None)).IsSuccess);

        var writes = trace.Chunks().Where(c => c.FromClient).Select(c => Text(c.Bytes)).ToList();
        Assert.Contains("MAIL FROM:<sender@example.org>\r\n", writes);
        Assert.Contains("RCPT TO:<rcpt@example.net>\r\n", writes);
        Assert.Contains("DATA\r\n", writes);
    }

    [Theory]
    [InlineData(new[] { "-f", "MAIL", "-B", "550 5.7.1 Sender refused" }, DeliveryStates.MailFrom, 550, "5.7.1", "Sender refused", true)]
    [InlineData(new[] { "-r", "RCPT", "-b", "451 4.3.0 Try again later" }, DeliveryStates.RcptTo, 451, "4.3.0", "Try again later", false)]
    [InlineData(new[] { "-f", "DATA" }, DeliveryStates.Data, 500, "5.3.0", "Error: command failed", true)]
    [InlineData(new[] { "-r", "." }, DeliveryStates.Message, 450, "4.3.0", "Error: command failed", false)]
    public async Task Maps_a_refusal_to_the_state_code_and_status_where_it_happened(string[] sinkOptions, string state, int code, string status, string description, bool permanent)
    {
        await using var sink = await SmtpSink.StartAsync(sinkOptions);
        var trace = new CapturingTrace();
        await using var connection = await ConnectAsync(sink.EndPoint, Options(o => o.Trace = trace));

        var result = await connection.SendAsync(Envelope(), Mime, CancellationToken.None);

        Assert.Equal(state, result.State);
        Assert.Equal(DeliveryResults.Error, result.Result);
        Assert.Equal(code, result.Code);
        Assert.Equal(status, result.Status);
        Assert.Equal(description, result.Description);
        Assert.Equal(permanent, result.IsPermanent);
        Assert.Equal("smtp-sink", result.Mta);

        // The connection survives a refused transaction; the next one starts with RSET (except after the final dot).
        Assert.True(connection.IsUsable);
        var again = await connection.SendAsync(Envelope(), Mime, CancellationToken.None);
        Assert.Equal(state, again.State);
        Assert.Equal(state != DeliveryStates.Message, trace.Chunks().Any(c => c.FromClient && Text(c.Bytes).StartsWith("RSET\r\n", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_421_reply_makes_the_connection_unusable()
    {
        await using var sink = await SmtpSink.StartAsync("-Q", "RCPT");
        await using var connection = await ConnectAsync(sink.EndPoint, Options());

        var result = await connection.SendAsync(Envelope(), Mime, CancellationToken.None);

        Assert.Equal(DeliveryStates.RcptTo, result.State);
        Assert.Equal(421, result.Code);
        Assert.False(result.IsPermanent);
        Assert.False(connection.IsUsable);
    }

    [Fact]
    public async Task A_peer_that_does_not_answer_MAIL_in_time_gives_a_timeout()
    {
        // -p: smtp-sink answers pipelined commands out of order while it delays one (RCPT's 503 overtakes MAIL's 250).
        await using var sink = await SmtpSink.StartAsync("-p", "-W", "MAIL:30");
        await using var connection = await ConnectAsync(sink.EndPoint, Options(o => o.MailTimeout = TimeSpan.FromMilliseconds(500)));

        var result = await connection.SendAsync(Envelope(), Mime, CancellationToken.None);

        Assert.True(result.Result == DeliveryResults.Timeout, result.ToString());
        Assert.Equal(DeliveryStates.MailFrom, result.State);
        Assert.True(result.IsStrange);
        Assert.False(result.IsPermanent);
        Assert.False(connection.IsUsable);
    }

    [Fact]
    public async Task A_peer_that_never_greets_gives_a_timeout_at_intro()
    {
        // A listener that accepts and stays silent: the kernel completes the handshake, nobody speaks.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endPoint = (IPEndPoint)listener.LocalEndpoint;

        var (connection, failure) = await SmtpClientConnection.ConnectAsync(endPoint, "mx.test",
            Options(o => o.GreetingTimeout = TimeSpan.FromMilliseconds(300)), CancellationToken.None);

        Assert.Null(connection);
        Assert.NotNull(failure);
        Assert.Equal(DeliveryStates.Intro, failure.State);
        Assert.Equal(DeliveryResults.Timeout, failure.Result);
        Assert.Null(failure.Mta);
    }

    [Fact]
    public async Task Phase_timeouts_run_on_the_injected_clock()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var sessions = new RecentSessions();
        var options = Options(o =>
        {
            o.Time = time;
            o.GreetingTimeout = TimeSpan.FromMinutes(5);
            o.Sessions = sessions;
        });

        var connecting = SmtpClientConnection.ConnectAsync((IPEndPoint)listener.LocalEndpoint, "mx.test", options, CancellationToken.None);
        using var accepted = await listener.AcceptSocketAsync();
        // The session is listed once the client is connected (its connect timer disarmed): from then on the
        // clock can only end the greeting wait, not the connect.
        for (int i = 0; i < 2000 && sessions.Count == 0; i++)
            await Task.Delay(5);
        // Only the fake clock can end the wait; advance it until the client, now reading the greeting, gives up.
        for (int i = 0; i < 500 && !connecting.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMinutes(5));
            await Task.WhenAny(connecting, Task.Delay(10));
        }

        var (connection, failure) = await connecting;
        Assert.Null(connection);
        Assert.Equal(DeliveryStates.Intro, failure!.State);
        Assert.Equal(DeliveryResults.Timeout, failure.Result);
        // The result is stamped by the same clock (FakeTimeProvider starts in 2000).
        Assert.Equal(2000, failure.Time.Year);
    }

    [Fact]
    public async Task The_caller_cancelling_throws_instead_of_reporting_a_result()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var cts = new CancellationTokenSource();

        var connecting = SmtpClientConnection.ConnectAsync((IPEndPoint)listener.LocalEndpoint, "mx.test", Options(), cts.Token);
        using var accepted = await listener.AcceptSocketAsync();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connecting);
    }

    [Fact]
    public async Task A_refused_connection_fails_at_connect_and_counts_as_tried()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endPoint = (IPEndPoint)listener.LocalEndpoint;
        listener.Stop();

        var (connection, failure) = await SmtpClientConnection.ConnectAsync(endPoint, "mx.test", Options(), CancellationToken.None);

        Assert.Null(connection);
        Assert.Equal(DeliveryStates.Connect, failure!.State);
        Assert.Equal(DeliveryResults.Error, failure.Result);
        Assert.False(failure.NotTried);
    }

    [Fact]
    public async Task A_peer_that_closes_during_DATA_gives_lost()
    {
        // -q .: smtp-sink reads the message and hangs up instead of answering the final dot.
        await using var sink = await SmtpSink.StartAsync("-q", ".");
        await using var connection = await ConnectAsync(sink.EndPoint, Options());

        var result = await connection.SendAsync(Envelope(), Mime, CancellationToken.None);

        Assert.Equal(DeliveryStates.Message, result.State);
        Assert.Equal(DeliveryResults.Lost, result.Result);
        Assert.True(result.IsStrange);
        Assert.False(connection.IsUsable);
    }

    [Fact]
    public async Task A_peer_that_hangs_up_after_DATA_gives_lost_at_data()
    {
        await using var sink = await SmtpSink.StartAsync("-q", "DATA");
        await using var connection = await ConnectAsync(sink.EndPoint, Options());

        var result = await connection.SendAsync(Envelope(), Mime, CancellationToken.None);

        Assert.Equal(DeliveryStates.Data, result.State);
        Assert.Equal(DeliveryResults.Lost, result.Result);
    }

    [Fact]
    public async Task A_non_ASCII_address_fails_for_good_when_the_peer_lacks_SMTPUTF8()
    {
        await using var sink = await SmtpSink.StartAsync();
        var trace = new CapturingTrace();
        await using var connection = await ConnectAsync(sink.EndPoint, Options(o => o.Trace = trace));

        var result = await connection.SendAsync(Envelope("jürgen@example.net"), Mime, CancellationToken.None);

        Assert.Equal(DeliveryStates.MailFrom, result.State);
        Assert.Equal(DeliveryResults.Error, result.Result);
        Assert.True(result.Fatal);
        Assert.Equal("5.6.7", result.Status);
        Assert.DoesNotContain(trace.Chunks(), c => c.FromClient && Text(c.Bytes).Contains("MAIL", StringComparison.Ordinal));
        Assert.True(connection.IsUsable);
    }

    [Fact]
    public async Task Falls_back_to_HELO_when_the_peer_refuses_EHLO()
    {
        await using var sink = await SmtpSink.StartAsync("-f", "EHLO");
        var trace = new CapturingTrace();
        await using var connection = await ConnectAsync(sink.EndPoint, Options(o => o.Trace = trace));

        Assert.Equal(SmtpExtensions.None, connection.Extensions);
        var result = await connection.SendAsync(Envelope(), Mime, CancellationToken.None);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Contains(trace.Chunks(), c => c.FromClient && Text(c.Bytes) == "HELO client.test\r\n");
    }

    [Fact]
    public async Task Authenticates_with_PLAIN_to_a_loopback_smarthost_and_lists_the_session_as_outbound()
    {
        await using var sink = await SmtpSink.StartAsync();
        var sessions = new RecentSessions();
        var trace = new CapturingTrace();
        await using var connection = await ConnectAsync(sink.EndPoint, Options(o =>
        {
            o.Username = "relay-user";
            o.Password = "s3cret";
            o.Sessions = sessions;
            o.Trace = trace;
        }));

        var result = await connection.SendAsync(Envelope(), Mime, CancellationToken.None);
        Assert.True(result.IsSuccess, result.ToString());

        var wire = Text(trace.Bytes(connection.Id, fromClient: true));
        Assert.Contains("AUTH PLAIN " + Convert.ToBase64String(Encoding.UTF8.GetBytes("\0relay-user\0s3cret")) + "\r\n", wire);
        var record = Assert.Single(sessions.Latest(10));
        Assert.Equal(connection.Id, record.Id);
        Assert.Equal("out", record.Direction);
        Assert.Equal("accepted", record.State);
        Assert.Equal("sender@example.org", record.From);
        var lines = record.Transcript.Select(l => (l.Dir, l.Line)).ToList();
        Assert.Contains(('s', "220 smtp-sink ESMTP"), lines);
        Assert.Contains(('c', "EHLO client.test"), lines);
        Assert.Contains(('c', "AUTH PLAIN ****"), lines);
        Assert.DoesNotContain(lines, l => l.Line.Contains("s3cret", StringComparison.Ordinal) || l.Line.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes("\0relay-user\0s3cret")), StringComparison.Ordinal));
    }
}
