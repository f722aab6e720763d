using System.Net;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Core.Tests.Config;

public sealed class ConfigSetTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private (ConfigSet Config, string File) Load(string text)
    {
        string file = _dir.Write("x.txt", text);
        return (ConfigTestLoader.LoadFile(file), file);
    }

    private static ConfigSet Arg(string key, string value) => ConfigTestLoader.Load([$"--{key}={value}"]);

    private static string SingleLine(ConfigSet config) => Assert.Single(DiagnosticLines.Of(config.Diagnostics));

    [Fact]
    public void Reports_file_and_line_for_bad_port()
    {
        var (config, file) = Load("# console\n\nwww-port: abc\n");

        Assert.Equal(8485, config.GetPort("www-port", 8485, allowEmpty: true));
        Assert.Equal($"{file}:3: www-port: \"abc\" is not a port number (0-65535)", SingleLine(config));
        Assert.Equal(ConfigSeverity.Error, config.Diagnostics[0].Severity);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("25", 25)]
    [InlineData("65535", 65535)]
    public void Reads_ports_in_range(string text, int port)
    {
        var config = Arg("smarthost-port", text);

        Assert.Equal(port, config.GetPort("smarthost-port", 1, allowEmpty: false));
        Assert.Empty(config.Diagnostics);
    }

    [Theory]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("+80")]
    [InlineData("8 0")]
    [InlineData("99999999999999999999")]
    public void Rejects_ports_out_of_range_or_malformed(string text)
    {
        var config = Arg("smarthost-port", text);

        Assert.Equal(25, config.GetPort("smarthost-port", 25, allowEmpty: false));
        Assert.Equal($"--smarthost-port: smarthost-port: \"{text}\" is not a port number (0-65535)", SingleLine(config));
    }

    [Fact]
    public void Empty_port_is_null_where_allowed_and_an_error_elsewhere()
    {
        var config = Arg("www-secure-port", "");
        Assert.Null(config.GetPort("www-secure-port", 443, allowEmpty: true));
        Assert.Empty(config.Diagnostics);

        var strict = Arg("smarthost-port", "");
        Assert.Equal(25, strict.GetPort("smarthost-port", 25, allowEmpty: false));
        Assert.Equal("--smarthost-port: smarthost-port: \"\" is not a port number (0-65535)", SingleLine(strict));
    }

    [Fact]
    public void Unset_key_returns_the_fallback_without_diagnostics()
    {
        var config = ConfigTestLoader.Load();

        Assert.Equal(443, config.GetPort("www-secure-port", 443, allowEmpty: true));
        Assert.Equal(7, config.GetInt("rabbitmq-maxpriority", 7, 0, 255));
        Assert.True(config.GetBool("rabbitmq-verify", true));
        Assert.Equal(5L, config.GetSize("smtp-maxsize", 5));
        Assert.Equal(TimeSpan.FromSeconds(3), config.GetDuration("dns-timeout", TimeSpan.FromSeconds(3)));
        Assert.Null(config.GetIpAddress("smtp-ip"));
        Assert.Empty(config.GetList("smtp-range"));
        Assert.Equal("x", config.GetString("www-host", "x"));
        Assert.Null(config.GetString("www-host"));
        Assert.Empty(config.Diagnostics);
    }

    [Fact]
    public void Reads_int_in_range()
    {
        var config = Arg("www-connections", "100");

        Assert.Equal(100, config.GetInt("www-connections", 64, 1, 100000));
        Assert.Empty(config.Diagnostics);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100001")]
    [InlineData("ten")]
    [InlineData("")]
    [InlineData("1.5")]
    public void Rejects_int_out_of_range_or_malformed(string text)
    {
        var (config, file) = Load($"www-connections: {text}\n");

        Assert.Equal(64, config.GetInt("www-connections", 64, 1, 100000));
        Assert.Equal($"{file}:1: www-connections: \"{text}\" is not a whole number from 1 to 100000", SingleLine(config));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("1", true)]
    [InlineData("TRUE", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    [InlineData("0", false)]
    [InlineData("Off", false)]
    public void Reads_every_boolean_spelling(string text, bool expected)
    {
        var config = Arg("smtp-protection", text);

        Assert.Equal(expected, config.GetBool("smtp-protection", !expected));
        Assert.Empty(config.Diagnostics);
    }

    [Fact]
    public void Rejects_other_boolean_text()
    {
        var (config, file) = Load("smtp-protection: maybe\n");

        Assert.True(config.GetBool("smtp-protection", true));
        Assert.Equal($"{file}:1: smtp-protection: \"maybe\" is not a boolean (true/false, yes/no, on/off, 1/0)", SingleLine(config));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1000", 1000L)]
    [InlineData("1K", 1024L)]
    [InlineData("1KB", 1024L)]
    [InlineData("2k", 2048L)]
    [InlineData("2kb", 2048L)]
    [InlineData("1M", 1048576L)]
    [InlineData("100MB", 104857600L)]
    [InlineData("3mb", 3145728L)]
    [InlineData("1G", 1073741824L)]
    [InlineData("2GB", 2147483648L)]
    [InlineData("4gB", 4294967296L)]
    [InlineData("10 MB", 10485760L)]
    [InlineData("8589934591G", 9223372035781033984L)]
    public void Reads_sizes_with_every_suffix_as_powers_of_1024(string text, long bytes)
    {
        var config = Arg("smtp-maxsize", text);

        Assert.Equal(bytes, config.GetSize("smtp-maxsize", -1));
        Assert.Empty(config.Diagnostics);
    }

    [Theory]
    [InlineData("10B")]
    [InlineData("10T")]
    [InlineData("10TB")]
    [InlineData("10KiB")]
    [InlineData("10 M B")]
    [InlineData("MB")]
    [InlineData("-1")]
    [InlineData("1.5M")]
    [InlineData("")]
    [InlineData("0x10")]
    public void Rejects_sizes_with_bad_suffix_or_number(string text)
    {
        var (config, file) = Load($"smtp-maxsize: {text}\n");

        Assert.Equal(-1, config.GetSize("smtp-maxsize", -1));
        Assert.Equal(
            $"{file}:1: smtp-maxsize: \"{text}\" is not a size (a whole number of bytes, or with K, KB, M, MB, G or GB)",
            SingleLine(config));
    }

    [Theory]
    [InlineData("8589934592G")]
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999999999999KB")]
    public void Rejects_sizes_that_overflow(string text)
    {
        var (config, file) = Load($"smtp-maxsize: {text}\n");

        Assert.Equal(-1, config.GetSize("smtp-maxsize", -1));
        Assert.Equal($"{file}:1: smtp-maxsize: \"{text}\" is too large (at most 9223372036854775807 bytes)", SingleLine(config));
    }

    [Theory]
    [InlineData("300", 300_000L)]
    [InlineData("0", 0L)]
    [InlineData("250ms", 250L)]
    [InlineData("30s", 30_000L)]
    [InlineData("10m", 600_000L)]
    [InlineData("2h", 7_200_000L)]
    [InlineData("2H", 7_200_000L)]
    [InlineData("500MS", 500L)]
    [InlineData("5 m", 300_000L)]
    public void Reads_durations_as_seconds_unless_suffixed(string text, long milliseconds)
    {
        var config = Arg("smtp-timeout", text);

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), config.GetDuration("smtp-timeout", TimeSpan.MinValue));
        Assert.Empty(config.Diagnostics);
    }

    [Theory]
    [InlineData("5d")]
    [InlineData("5min")]
    [InlineData("1.5h")]
    [InlineData("-5")]
    [InlineData("s")]
    [InlineData("")]
    [InlineData("5us")]
    [InlineData("1h30m")]
    public void Rejects_durations_with_bad_suffix_or_number(string text)
    {
        var (config, file) = Load($"smtp-timeout: {text}\n");

        Assert.Equal(TimeSpan.FromSeconds(300), config.GetDuration("smtp-timeout", TimeSpan.FromSeconds(300)));
        Assert.Equal(
            $"{file}:1: smtp-timeout: \"{text}\" is not a duration (a whole number of seconds, or with ms, s, m or h)",
            SingleLine(config));
    }

    [Theory]
    [InlineData("922337203686")]
    [InlineData("256204779h")]
    [InlineData("99999999999999999999ms")]
    public void Rejects_durations_that_overflow(string text)
    {
        var (config, file) = Load($"smtp-timeout: {text}\n");

        Assert.Equal(TimeSpan.FromSeconds(300), config.GetDuration("smtp-timeout", TimeSpan.FromSeconds(300)));
        Assert.Equal($"{file}:1: smtp-timeout: \"{text}\" is too large", SingleLine(config));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("::1")]
    [InlineData("2001:db8::1")]
    [InlineData("0.0.0.0")]
    public void Reads_ip_addresses(string text)
    {
        var config = Arg("smtp-ip", text);

        Assert.Equal(IPAddress.Parse(text), config.GetIpAddress("smtp-ip"));
        Assert.Empty(config.Diagnostics);
    }

    [Fact]
    public void Empty_ip_address_means_any()
    {
        var config = Arg("smtp-ip", "");

        Assert.Null(config.GetIpAddress("smtp-ip"));
        Assert.Empty(config.Diagnostics);
    }

    [Theory]
    [InlineData("300.1.1.1")]
    [InlineData("127.1")]
    [InlineData("2130706433")]
    [InlineData("localhost")]
    [InlineData("1.2.3.4.5")]
    [InlineData("2001:db8::g")]
    public void Rejects_what_is_not_an_ip_literal(string text)
    {
        var (config, file) = Load($"smtp-ip: {text}\n");

        Assert.Null(config.GetIpAddress("smtp-ip"));
        Assert.Equal($"{file}:1: smtp-ip: \"{text}\" is not an IP address", SingleLine(config));
    }

    [Fact]
    public void Splits_documented_list_keys_at_commas_and_semicolons()
    {
        var config = ConfigTestLoader.Load(["--smtp-range=10.0.0.0/8; 192.168.0.0/16 ,,;172.16.0.0/12 ;"]);

        Assert.Equal(["10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12"], config.GetList("smtp-range"));
    }

    [Fact]
    public void Default_retry_interval_is_MailerQs_list()
    {
        var config = ConfigTestLoader.Load();

        Assert.Equal(["600", "600", "1800", "1800", "3600", "3600", "7200"], config.GetList("retry-interval"));
    }

    [Fact]
    public void Commas_in_a_single_value_key_are_kept()
    {
        var config = Arg("www-cache-control", "public, max-age=60");

        Assert.Equal("public, max-age=60", config.GetString("www-cache-control"));
        Assert.Throws<InvalidOperationException>(() => config.GetList("www-cache-control"));
    }

    [Fact]
    public void Reading_a_key_that_is_not_known_is_a_bug()
    {
        var config = ConfigTestLoader.Load();

        Assert.Throws<ArgumentException>(() => config.Get("www-prot"));
    }

    [Fact]
    public void Collects_every_bad_value_in_a_file()
    {
        var (config, file) = Load("www-port: abc\nwww-connections: 0\nsmtp-maxsize: 10X\nwww-host: fine\n");

        config.GetPort("www-port", 8485, allowEmpty: true);
        config.GetInt("www-connections", 64, 1, 100000);
        config.GetSize("smtp-maxsize", 0);

        Assert.Equal(
            [
                $"{file}:1: www-port: \"abc\" is not a port number (0-65535)",
                $"{file}:2: www-connections: \"0\" is not a whole number from 1 to 100000",
                $"{file}:3: smtp-maxsize: \"10X\" is not a size (a whole number of bytes, or with K, KB, M, MB, G or GB)",
            ],
            DiagnosticLines.Of(config.Diagnostics));
        Assert.Equal(3, config.Diagnostics.ErrorCount);
    }

    [Fact]
    public void Reading_a_bad_value_twice_reports_it_once()
    {
        var config = Arg("www-port", "abc");

        config.GetPort("www-port", 8485, allowEmpty: true);
        config.GetPort("www-port", 8485, allowEmpty: true);

        Assert.Single(config.Diagnostics);
    }

    [Fact]
    public void Control_characters_in_values_are_escaped_in_messages()
    {
        var config = Arg("www-port", "8\r\n485");

        config.GetPort("www-port", 8485, allowEmpty: true);

        Assert.Equal("--www-port: www-port: \"8\\r\\n485\" is not a port number (0-65535)", SingleLine(config));
    }
}
