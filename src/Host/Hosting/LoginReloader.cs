using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Console.Auth;
using MailerQ.Www.Console.Hosting;

namespace MailerQ.Www.Host.Hosting;

/// <summary>
/// SIGHUP for logins: reads the config layers again and swaps in new backends. A broken new
/// configuration is logged and the running one kept; a changed one logs everybody out.
/// </summary>
internal sealed class LoginReloader(CommandLine command, ConsoleAuth auth, WwwSettings initial)
{
    private readonly Lock _gate = new();
    private string _signature = LoginSetup.Signature(initial);

    public void Reload()
    {
        lock (_gate)
        {
            var diagnostics = new ConfigDiagnostics();
            var config = ConfigLoader.Load(command, diagnostics);
            var www = WwwSettings.Read(config);
            var general = GeneralSettings.Read(config);
            var chain = diagnostics.HasErrors ? null : LoginSetup.CreateChain(www, general, config, bootstrap: true);
            if (chain is null || diagnostics.HasErrors)
            {
                chain?.Dispose();
                foreach (var d in diagnostics)
                    Log.Error("config", "reload refused, keeping the running login configuration", Log.Quote(d.ToString()));
                return;
            }
            string signature = LoginSetup.Signature(www);
            bool changed = !string.Equals(signature, _signature, StringComparison.Ordinal);
            auth.Replace(chain, changed);
            _signature = signature;
            Log.Info("auth", changed ? "login configuration changed, all sessions ended" : "login configuration reloaded, unchanged");
        }
    }
}
