using MailerQ.Www.Auth.Crypt;
using MailerQ.Www.Auth.Sessions;
using MailerQ.Www.Auth.Tests.Support;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Auth.Tests.Sessions;

public sealed class AdminBootstrapTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task First_start_stores_only_a_hash_and_prints_the_password_once()
    {
        string data = Path.Combine(_dir.Path, "var");
        var console = new StringWriter();
        var result = AdminBootstrap.Ensure(data, console);
        Assert.True(result.Created);
        Assert.Equal(Path.Combine(data, "admin.passwd"), result.PasswordFile);

        string line = Assert.Single(console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var match = System.Text.RegularExpressions.Regex.Match(line, "generated password for user admin: ([A-Za-z0-9_-]{16,})$");
        Assert.True(match.Success, line);
        string password = match.Groups[1].Value;

        string file = File.ReadAllText(result.PasswordFile);
        Assert.Matches(@"^admin:\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}\n$", file);
        Assert.DoesNotContain(password, file);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(result.PasswordFile));
        Assert.Equal([result.PasswordFile], Directory.GetFiles(data));

        var diagnostics = new ConfigDiagnostics();
        using var chain = AdminBootstrap.CreateChain(result, diagnostics);
        Assert.Empty(diagnostics);
        Assert.True((await chain.AuthenticateAsync("admin", password, default)).Accepted);
        Assert.False((await chain.AuthenticateAsync("admin", password + "x", default)).Accepted);

        // openssl agrees with the stored hash.
        string hash = file.Trim()[6..];
        string salt = hash.Split('$')[2];
        Assert.Equal(hash, Cli.RunWithInput(password + "\n", "openssl", "passwd", "-6", "-salt", salt, "-stdin").Trim());
    }

    [Fact]
    public void Later_starts_reuse_the_file_and_print_nothing()
    {
        var first = AdminBootstrap.Ensure(_dir.Path, new StringWriter());
        string before = File.ReadAllText(first.PasswordFile);
        var console = new StringWriter();
        var again = AdminBootstrap.Ensure(_dir.Path, console);
        Assert.False(again.Created);
        Assert.Equal("", console.ToString());
        Assert.Equal(before, File.ReadAllText(again.PasswordFile));
    }

    [Fact]
    public void A_file_readable_by_others_is_tightened()
    {
        var first = AdminBootstrap.Ensure(_dir.Path, new StringWriter());
        File.SetUnixFileMode(first.PasswordFile, (UnixFileMode)0b110_100_100);
        AdminBootstrap.Ensure(_dir.Path, new StringWriter());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.PasswordFile));
    }

    [Fact]
    public void Generated_passwords_use_the_contract_alphabet_and_differ()
    {
        var seen = new HashSet<string>();
        for (int i = 0; i < 50; i++)
        {
            string pw = AdminBootstrap.GeneratePassword();
            Assert.Matches("^[A-Za-z0-9_-]{24}$", pw);
            Assert.True(seen.Add(pw));
        }
    }

    [Fact]
    public async Task A_hand_edited_file_is_an_ordinary_password_file()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "admin.passwd"), $"admin:{PasswordHasher.HashSha512Crypt("chosen-by-me")}\n");
        var result = AdminBootstrap.Ensure(_dir.Path, new StringWriter());
        using var chain = AdminBootstrap.CreateChain(result, new ConfigDiagnostics());
        Assert.True((await chain.AuthenticateAsync("admin", "chosen-by-me", default)).Accepted);
    }
}
