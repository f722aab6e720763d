using MailerQ.Www.Auth.Crypt;
using MailerQ.Www.Auth.Exec;
using MailerQ.Www.Auth.Hardcoded;
using MailerQ.Www.Auth.HttpEndpoint;
using MailerQ.Www.Auth.Users;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Auth;

/// <summary>
/// Turns <c>www-auth</c> (or <c>smtp-auth</c>) lines into backends: one factory per URL scheme. A factory
/// reports what is wrong with its line to <see cref="ConfigDiagnostics"/> at the line's origin and returns
/// null; nothing here throws for bad configuration (CONTRACT.md: a bad config exits 2 with FILE:LINE
/// messages, never a crash). Messages never quote the value: it may hold passwords or secrets.
/// </summary>
internal sealed class AuthSchemeRegistry
{
    private readonly Dictionary<string, Func<ConfigEntry, ConfigDiagnostics, IAuthBackend?>> _factories = new(StringComparer.Ordinal);

    public AuthSchemeRegistry(AuthBackendOptions? options = null)
    {
        Options = options ?? new AuthBackendOptions();
    }

    /// <summary>Settings the built-in factories were given.</summary>
    public AuthBackendOptions Options { get; }

    /// <summary>The registered schemes, sorted.</summary>
    public IReadOnlyList<string> Schemes
    {
        get
        {
            var list = new List<string>(_factories.Keys);
            list.Sort(StringComparer.Ordinal);
            return list;
        }
    }

    /// <summary>
    /// The registry with every built-in scheme: <c>hardcoded</c>, <c>file</c>, <c>users</c>, <c>http</c>,
    /// <c>https</c>, <c>exec</c>, <c>ldap</c>, <c>ldaps</c>, <c>radius</c>.
    /// </summary>
    public static AuthSchemeRegistry CreateDefault(AuthBackendOptions? options = null)
    {
        var registry = new AuthSchemeRegistry(options);
        var o = registry.Options;
        registry.Register(HardcodedAuthBackend.SchemeName, HardcodedAuthBackend.Create);
        registry.Register(FileAuthBackend.SchemeName, (entry, diagnostics) => FileAuthBackend.Create(entry, diagnostics, o.TimeProvider));
        registry.Register(UsersAuthBackend.SchemeName, (entry, diagnostics) => UsersAuthBackend.Create(entry, diagnostics, o.EffectivePamService, o.TimeProvider));
        registry.Register(HttpAuthBackend.SchemeName, (entry, diagnostics) => HttpAuthBackend.Create(entry, diagnostics, o.TimeProvider));
        registry.Register(HttpAuthBackend.SecureSchemeName, (entry, diagnostics) => HttpAuthBackend.Create(entry, diagnostics, o.TimeProvider));
        registry.Register(ExecAuthBackend.SchemeName, (entry, diagnostics) => ExecAuthBackend.Create(entry, diagnostics, o.TimeProvider));
        registry.Register("ldap", Ldap.LdapAuthBackend.Create);
        registry.Register("ldaps", Ldap.LdapAuthBackend.Create);
        registry.Register("radius", Radius.RadiusAuthBackend.Create);
        return registry;
    }

    /// <summary>Adds a scheme. Names are case-insensitive; registering one twice is a programming error.</summary>
    public void Register(string scheme, Func<ConfigEntry, ConfigDiagnostics, IAuthBackend?> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_factories.TryAdd(scheme.ToLowerInvariant(), factory))
            throw new ArgumentException($"scheme {scheme} is already registered", nameof(scheme));
    }

    /// <summary>True when <paramref name="scheme"/> has a factory.</summary>
    public bool IsRegistered(string scheme) => _factories.ContainsKey(scheme.ToLowerInvariant());

    /// <summary>One backend for one line, or null with the reason in <paramref name="diagnostics"/>.</summary>
    public IAuthBackend? Create(ConfigEntry entry, ConfigDiagnostics diagnostics)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (!AuthUrl.TrySplit(entry.Value, out string scheme, out _))
        {
            diagnostics.Error(entry.Origin, entry.Key, "expected a URL scheme://…, e.g. file:///etc/mailerq/users.txt");
            return null;
        }
        if (!_factories.TryGetValue(scheme, out var factory))
        {
            diagnostics.Error(entry.Origin, entry.Key, $"unknown scheme \"{scheme}\"; known: {string.Join(", ", Schemes)}");
            return null;
        }

        int errorsBefore = diagnostics.ErrorCount;
        IAuthBackend? backend;
        try
        {
            backend = factory(entry, diagnostics);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            diagnostics.Error(entry.Origin, entry.Key, $"{scheme}: {ex.Message}");
            return null;
        }
        if (backend is null && diagnostics.ErrorCount == errorsBefore)
            diagnostics.Error(entry.Origin, entry.Key, $"{scheme}: the line was not accepted");
        return backend;
    }

    /// <summary>
    /// The chain for the console: every <c>www-auth</c> line in order, then the pre-5.12 <c>www-password</c>
    /// as user <c>admin</c> when set. Lines with errors are left out (the errors make the config invalid,
    /// so the caller exits 2 instead of serving with a partial chain).
    /// </summary>
    public AuthChain CreateChain(IReadOnlyList<ConfigEntry> entries, string? legacyPassword, ConfigDiagnostics diagnostics)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var backends = new List<IAuthBackend>(entries.Count + 1);
        foreach (var entry in entries)
        {
            var backend = Create(entry, diagnostics);
            if (backend is not null)
                backends.Add(backend);
        }
        if (!string.IsNullOrEmpty(legacyPassword))
            backends.Add(HardcodedAuthBackend.CreateLegacy(legacyPassword));
        return new AuthChain(backends, Options.TimeProvider);
    }

    /// <summary>Same as <see cref="CreateChain(IReadOnlyList{ConfigEntry}, string?, ConfigDiagnostics)"/> from the console settings.</summary>
    public AuthChain CreateChain(WwwSettings www, ConfigDiagnostics diagnostics)
    {
        ArgumentNullException.ThrowIfNull(www);
        return CreateChain(www.Auth, www.Password, diagnostics);
    }
}
