using System.Diagnostics.CodeAnalysis;

namespace MailerQ.Www.Core.Config;

/// <summary>Exceptions for programming errors in config readers; bad config values become diagnostics instead.</summary>
internal static class ConfigThrowHelper
{
    [DoesNotReturn]
    public static void ThrowUnknownKey(string key) =>
        throw new ArgumentException($"\"{key}\" is not in KnownKeys; add it there before reading it.", nameof(key));

    [DoesNotReturn]
    public static void ThrowNotAList(string key) =>
        throw new InvalidOperationException($"\"{key}\" is not documented as a list by MailerQ; read it with GetString.");
}
