using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace MailerQ.Www.Http.StaticFiles;

/// <summary>
/// Maps a raw request path onto a regular file inside www-dir, or says why not. The contract:
/// no path ever reads outside www-dir; such requests get 400 or 404.
/// </summary>
/// <remarks>
/// <para>Two stages. <see cref="Normalize"/> is pure and allocation-free: it decodes percent-escapes
/// exactly once (RFC 3986 §2.4: decoding twice would let <c>%252e</c> become <c>.</c>) and rejects what
/// a file path must not contain. <see cref="ResolveRelative"/> then walks the file system from the
/// real root one component at a time, as the kernel would (path_resolution(7)), following every
/// symlink, and refuses a real path that is outside the real root.</para>
/// <para>Choices: empty segments (<c>//</c>) are 400, not normalised, since no link the console makes
/// contains one; a directory without a trailing slash is 404 (no redirect: the console only links
/// to <c>/</c>); segments starting with '.' (<c>.git</c>, <c>.env</c>) are 404 in the request and in
/// the resolved real path.</para>
/// <para>Linux only: paths are case-sensitive and '/' is the only separator, so a backslash is
/// just refused. The check and the later open are two steps: someone who can write into www-dir
/// can race them, but that someone can already change what the console serves.</para>
/// </remarks>
internal sealed class StaticPathResolver
{
    /// <summary>Served for a path ending in '/' (contract: <c>/</c> → <c>index.html</c>).</summary>
    public const string IndexFileName = "index.html";

    /// <summary>Raw paths up to this length are normalised into stack buffers; longer ones rent.</summary>
    internal const int StackPathBytes = 512;

    // Linux MAXSYMLINKS (path_resolution(7)): more links in one lookup is ELOOP.
    private const int MaxSymlinks = 40;

    // Linux NAME_MAX (limits.h): a longer segment cannot name a file.
    private const int MaxSegmentBytes = 255;

    // C1 controls (U+0080..U+009F) arrive as valid UTF-8; C0 and DEL are refused as bytes earlier.
    private static readonly SearchValues<char> C1Controls = SearchValues.Create(
        "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F" +
        "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F");

    private readonly string _root;
    private readonly string _rootPrefix;
    private readonly StaticFileLimits _limits;

    /// <summary>Resolves <paramref name="wwwDir"/> to its real path once (symlinks followed).</summary>
    /// <exception cref="DirectoryNotFoundException">www-dir does not exist or is not a directory.</exception>
    public StaticPathResolver(string wwwDir, StaticFileLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(wwwDir);
        _limits = limits ?? StaticFileLimits.Default;
        string full = Path.GetFullPath(wwwDir);
        if (!TryRealPath("/", full.AsSpan(1), out string? real, out FileInfo? last) || (last is not null && !IsDirectory(last)))
            throw new DirectoryNotFoundException($"www-dir '{wwwDir}' is not a directory");
        _root = real;
        _rootPrefix = real.EndsWith('/') ? real : real + "/";
    }

    /// <summary>The real path of www-dir: absolute, symlink-free, no trailing slash (unless it is <c>/</c>).</summary>
    public string Root => _root;

    internal StaticFileLimits Limits => _limits;

    /// <summary>
    /// Maps a raw request path (percent-encoded, starting with '/', without the query) to the
    /// real path of the file to serve. Allocates; <see cref="StaticFileCache.TryGet"/> is the hot path.
    /// </summary>
    public StaticPathStatus Resolve(ReadOnlySpan<byte> rawPath, out string? realPath)
    {
        realPath = null;
        if (rawPath.Length > _limits.MaxPathBytes)
            return StaticPathStatus.BadRequest;

        char[]? rented = null;
        Span<char> relative = rawPath.Length <= StackPathBytes
            ? stackalloc char[StackPathBytes + IndexFileName.Length]
            : (rented = ArrayPool<char>.Shared.Rent(rawPath.Length + IndexFileName.Length));
        try
        {
            var status = Normalize(rawPath, relative, out int length);
            return status == StaticPathStatus.Found ? ResolveRelative(relative[..length], out realPath, out _) : status;
        }
        finally
        {
            if (rented is not null)
                ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Decodes and checks a raw path without touching the file system. On <see cref="StaticPathStatus.Found"/>
    /// <paramref name="relative"/> holds the path below www-dir without the leading '/', with
    /// <see cref="IndexFileName"/> appended to a trailing '/'. <paramref name="relative"/> must hold
    /// <c>rawPath.Length + IndexFileName.Length</c> chars. NotFound means a hidden segment.
    /// </summary>
    internal StaticPathStatus Normalize(ReadOnlySpan<byte> rawPath, Span<char> relative, out int written)
    {
        written = 0;
        // The server strips the query and handles "*" and absolute-form before this (RFC 9112 §3.2).
        if (rawPath.IsEmpty || rawPath[0] != '/' || rawPath.Length > _limits.MaxPathBytes)
            return StaticPathStatus.BadRequest;
        if (relative.Length < rawPath.Length + IndexFileName.Length)
            throw new ArgumentException("buffer too small", nameof(relative));

        var raw = rawPath[1..];
        byte[]? rented = null;
        Span<byte> decoded = raw.Length <= StackPathBytes ? stackalloc byte[StackPathBytes] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            int n = 0;
            for (int i = 0; i < raw.Length; i++)
            {
                byte b = raw[i];
                if (b == '%')
                {
                    // RFC 3986 §2.1: '%' must be followed by two hex digits; anything else is malformed.
                    if (i + 2 >= raw.Length || !TryHex(raw[i + 1], raw[i + 2], out b))
                        return StaticPathStatus.BadRequest;
                    // An encoded separator would make one segment of the URI two segments of the file
                    // path (RFC 3986 §2.2: reserved characters differ from their encodings).
                    if (b == '/' || b == '\\')
                        return StaticPathStatus.BadRequest;
                    i += 2;
                }
                else if (b == '\\' || b == ' ')
                {
                    // A raw backslash is no separator on Linux, but Windows-minded scanners mean one.
                    return StaticPathStatus.BadRequest;
                }
                // C0 controls (NUL truncates C strings) and DEL, raw or escaped.
                if (b < 0x20 || b == 0x7F)
                    return StaticPathStatus.BadRequest;
                decoded[n++] = b;
            }

            // Strict UTF-8 (RFC 3629 §3): overlong forms such as %c0%ae ('.') and surrogates are invalid.
            if (Utf8.ToUtf16(decoded[..n], relative, out _, out written, replaceInvalidSequences: false) != OperationStatus.Done)
                return StaticPathStatus.BadRequest;
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }

        var path = relative[..written];
        var status = CheckSegments(path);
        if (status != StaticPathStatus.Found)
            return status;
        if (path.IsEmpty || path[^1] == '/')
        {
            IndexFileName.CopyTo(relative[written..]);
            written += IndexFileName.Length;
        }
        return StaticPathStatus.Found;
    }

    /// <summary>
    /// Walks <paramref name="relative"/> (output of <see cref="Normalize"/>) from the real root,
    /// following symlinks, and accepts only a regular file whose real path is inside the real root.
    /// </summary>
    internal StaticPathStatus ResolveRelative(ReadOnlySpan<char> relative, out string? realPath, out FileInfo? file)
    {
        realPath = null;
        file = null;
        try
        {
            if (!TryRealPath(_root, relative, out string? real, out FileInfo? last)
                || last is null || IsDirectory(last)
                || !real.StartsWith(_rootPrefix, StringComparison.Ordinal)
                || HasHiddenSegment(real.AsSpan(_rootPrefix.Length)))
                return StaticPathStatus.NotFound;
            realPath = real;
            file = last;
            return StaticPathStatus.Found;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Permission denied on a component, a name too long for the file system, and the like.
            return StaticPathStatus.NotFound;
        }
    }

    private static StaticPathStatus CheckSegments(ReadOnlySpan<char> path)
    {
        var found = StaticPathStatus.Found;
        while (true)
        {
            int slash = path.IndexOf('/');
            var segment = slash < 0 ? path : path[..slash];
            if (segment.IsEmpty)
            {
                // Only the last segment may be empty: "" is "/", "a/" is a directory index.
                if (slash >= 0)
                    return StaticPathStatus.BadRequest;
            }
            else if (segment[0] == '.')
            {
                // RFC 3986 §3.3 dot-segments are refused outright, not resolved: no path needs them.
                if (segment.Length == 1 || (segment.Length == 2 && segment[1] == '.'))
                    return StaticPathStatus.BadRequest;
                found = StaticPathStatus.NotFound;
            }
            else if (segment.Length > MaxSegmentBytes / 3 && Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
            {
                found = StaticPathStatus.NotFound;
            }

            if (segment.ContainsAny(C1Controls))
                return StaticPathStatus.BadRequest;
            if (slash < 0)
                return found;
            path = path[(slash + 1)..];
        }
    }

    // realpath(3) by hand: one component at a time from a real directory, so that ".." inside a
    // symlink target climbs from the link's real parent exactly as open(2) would, never lexically.
    private static bool TryRealPath(string start, ReadOnlySpan<char> relative, [NotNullWhen(true)] out string? real, out FileInfo? last)
    {
        real = null;
        last = null;
        var pending = new List<string>();
        Push(pending, relative);
        string current = start;
        FileInfo? currentInfo = null;    // null: current is known to be a directory
        int links = 0;
        while (pending.Count > 0)
        {
            string segment = pending[^1];
            pending.RemoveAt(pending.Count - 1);
            if (currentInfo is not null && !IsDirectory(currentInfo))
                return false;    // ENOTDIR: a file is not a directory to descend into
            if (segment.Length == 0 || segment == ".")
                continue;
            if (segment == "..")
            {
                int cut = current.LastIndexOf('/');
                current = cut <= 0 ? "/" : current[..cut];
                currentInfo = null;
                continue;
            }

            string next = current.Length == 1 ? "/" + segment : current + "/" + segment;
            var info = new FileInfo(next);
            var attributes = info.Attributes;
            if ((int)attributes == -1)
                return false;    // ENOENT (FileSystemInfo reports a missing entry as -1, without throwing)
            if ((attributes & FileAttributes.ReparsePoint) != 0)
            {
                string? target = info.LinkTarget;
                if (++links > MaxSymlinks || string.IsNullOrEmpty(target))
                    return false;
                if (target[0] == '/')
                    current = "/";
                currentInfo = null;
                Push(pending, target);
                continue;
            }
            current = next;
            currentInfo = info;
        }
        real = current;
        last = currentInfo;
        return true;
    }

    // Pushes the components of a relative path so that the first one is popped first.
    private static void Push(List<string> pending, ReadOnlySpan<char> path)
    {
        int end = path.Length;
        for (int i = path.Length - 1; i >= -1; i--)
        {
            if (i >= 0 && path[i] != '/')
                continue;
            pending.Add(path[(i + 1)..end].ToString());
            end = i;
        }
    }

    private static bool IsDirectory(FileInfo info) => (info.Attributes & FileAttributes.Directory) != 0;

    private static bool HasHiddenSegment(ReadOnlySpan<char> relative) =>
        relative.StartsWith('.') || relative.Contains("/.", StringComparison.Ordinal);

    private static bool TryHex(byte hi, byte lo, out byte value)
    {
        int h = HexValue(hi), l = HexValue(lo);
        value = (byte)(h << 4 | l);
        return (h | l) >= 0;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
