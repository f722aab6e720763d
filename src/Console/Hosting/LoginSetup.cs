using MailerQ.Www.Auth;
using MailerQ.Www.Auth.Sessions;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Console.Hosting;

/// <summary>
/// Builds the login backends from <c>www-auth</c> (and the legacy <c>www-password</c>). With neither,
/// the first start creates user <c>admin</c> with a random password, prints it once and keeps only
/// its hash in the data directory (contract: no default password).
/// </summary>
internal static class LoginSetup
{
    public static AuthChain? CreateChain(WwwSettings www, GeneralSettings general, ConfigSet config, bool bootstrap)
    {
        var registry = AuthSchemeRegistry.CreateDefault(new AuthBackendOptions { PamService = www.PamService });
        if (www.Auth.Count > 0 || www.Password is not null)
            return registry.CreateChain(www, config.Diagnostics);
        if (!bootstrap)
            return new AuthChain([]);
        try
        {
            var result = AdminBootstrap.Ensure(general.DataDirectory, System.Console.Error);
            return AdminBootstrap.CreateChain(result, config.Diagnostics);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            config.Diagnostics.Error(config.OriginOf("data-directory") ?? ConfigOrigin.Default, "data-directory",
                $"cannot store the generated admin password: {ex.Message}");
            return null;
        }
    }

    /// <summary>What decides who may log in: a change of it ends every session on reload.</summary>
    public static string Signature(WwwSettings www) =>
        string.Join('\n', www.Auth.Select(e => e.Value)) + "\n" + (www.Password ?? "") + "\n" + (www.PamService ?? "");
}
