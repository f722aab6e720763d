namespace MailerQ.Www.Core.Config;

/// <summary>One <c>key: value</c> setting with the place it was written.</summary>
/// <param name="Key">Lower-case canonical key (aliases such as <c>www-private-key</c> already mapped).</param>
/// <param name="Value">The value with surrounding white space removed; may be empty.</param>
/// <param name="Origin">File and line, environment variable or argument that set it.</param>
public sealed record ConfigEntry(string Key, string Value, ConfigOrigin Origin);
