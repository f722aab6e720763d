namespace MailerQ.Www.Http.StaticFiles;

/// <summary>
/// File extension → Content-Type field value, as bytes ready for the response head.
/// Only what a browser console needs; anything else is <c>application/octet-stream</c>
/// (RFC 2046 §4.5.1), which together with <c>X-Content-Type-Options: nosniff</c> is never rendered.
/// </summary>
internal static class ContentTypes
{
    private const int MaxExtensionChars = 8;

    private static readonly ReadOnlyMemory<byte> Html = "text/html; charset=utf-8"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> JavaScript = "text/javascript; charset=utf-8"u8.ToArray();

    /// <summary>The fallback for unknown or missing extensions.</summary>
    public static ReadOnlyMemory<byte> OctetStream { get; } = "application/octet-stream"u8.ToArray();

    private static readonly Dictionary<string, ReadOnlyMemory<byte>> ByExtension = new(StringComparer.Ordinal)
    {
        ["html"] = Html,
        ["htm"] = Html,
        ["css"] = "text/css; charset=utf-8"u8.ToArray(),
        // RFC 9239 §6: text/javascript is the one registered type, for classic scripts and ES modules alike.
        ["js"] = JavaScript,
        ["mjs"] = JavaScript,
        // RFC 8259 §11: application/json has no charset parameter (it is always UTF-8).
        ["json"] = "application/json"u8.ToArray(),
        ["map"] = "application/json"u8.ToArray(),
        ["svg"] = "image/svg+xml"u8.ToArray(),
        ["png"] = "image/png"u8.ToArray(),
        ["jpg"] = "image/jpeg"u8.ToArray(),
        ["jpeg"] = "image/jpeg"u8.ToArray(),
        ["gif"] = "image/gif"u8.ToArray(),
        ["webp"] = "image/webp"u8.ToArray(),
        ["ico"] = "image/x-icon"u8.ToArray(),
        // RFC 8081: the font/ top-level type.
        ["woff"] = "font/woff"u8.ToArray(),
        ["woff2"] = "font/woff2"u8.ToArray(),
        ["ttf"] = "font/ttf"u8.ToArray(),
        ["txt"] = "text/plain; charset=utf-8"u8.ToArray(),
        // RFC 7303 §4.1: application/xml, the charset comes from the XML declaration.
        ["xml"] = "application/xml"u8.ToArray(),
        ["wasm"] = "application/wasm"u8.ToArray(),
        ["pdf"] = "application/pdf"u8.ToArray(),
    };

    private static readonly Dictionary<string, ReadOnlyMemory<byte>>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        ByExtension.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The Content-Type for a file name or path, decided by its last extension, case-insensitively.</summary>
    public static ReadOnlyMemory<byte> ForFileName(ReadOnlySpan<char> fileName)
    {
        int slash = fileName.LastIndexOf('/');
        if (slash >= 0)
            fileName = fileName[(slash + 1)..];
        int dot = fileName.LastIndexOf('.');
        if (dot < 0)
            return OctetStream;
        var extension = fileName[(dot + 1)..];
        if (extension.IsEmpty || extension.Length > MaxExtensionChars)
            return OctetStream;

        Span<char> lower = stackalloc char[MaxExtensionChars];
        int n = extension.ToLowerInvariant(lower);
        return n > 0 && Lookup.TryGetValue(lower[..n], out var type) ? type : OctetStream;
    }
}
