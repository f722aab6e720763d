using System.Reflection;

namespace MailerQ.Www.Core.Diagnostics;

/// <summary>Name and version of the running product, read once from the assembly.</summary>
public static class ProductInfo
{
    /// <summary>The product name shown in logs, the Server header and <c>--version</c>.</summary>
    public const string Name = "MailerQ.Www";

    /// <summary>The informational version without the source-revision suffix.</summary>
    public static string Version { get; } = ReadVersion();

    private static string ReadVersion()
    {
        var v = typeof(ProductInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        int plus = v.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? v : v[..plus];
    }
}
