namespace MailerQ.Www.Auth;

/// <summary>What the built-in scheme factories need besides the URL itself.</summary>
internal sealed class AuthBackendOptions
{
    /// <summary>Debian's <c>login</c> service: what a console login is most like, and present on every system.</summary>
    public const string DefaultPamService = "login";

    /// <summary>PAM service for <c>users://</c> (<c>www-pam-service</c>); null = <see cref="DefaultPamService"/>.</summary>
    public string? PamService { get; init; }

    /// <summary>Clock for timeouts and file re-checks.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The effective PAM service name.</summary>
    public string EffectivePamService => string.IsNullOrEmpty(PamService) ? DefaultPamService : PamService;
}
