using System.Text;
using MailerQ.Www.Http.Parsing;

namespace MailerQ.Www.Http.Routing;

/// <summary>
/// Maps method + path to a handler. Exact routes are found through a string-keyed dictionary's
/// span lookup over the ASCII path decoded into a stack buffer, so matching allocates nothing.
/// Prefix routes (<c>/api/messages/</c>) are few and scanned longest first. HEAD falls back to GET
/// (RFC 9110 §9.3.2): the connection sends the headers and drops the body.
/// </summary>
internal sealed class Router
{
    private const int MaxRoutablePath = 512;
    private const int MethodCount = (int)HttpMethod.Connect + 1;

    private readonly Dictionary<string, HttpHandler>[] _exact = new Dictionary<string, HttpHandler>[MethodCount];
    private readonly Dictionary<string, HttpHandler>.AlternateLookup<ReadOnlySpan<char>>[] _lookups =
        new Dictionary<string, HttpHandler>.AlternateLookup<ReadOnlySpan<char>>[MethodCount];
    private readonly List<(HttpMethod Method, byte[] Prefix, HttpHandler Handler)> _prefixes = [];

    public Router()
    {
        for (int i = 0; i < MethodCount; i++)
        {
            _exact[i] = new Dictionary<string, HttpHandler>(StringComparer.Ordinal);
            _lookups[i] = _exact[i].GetAlternateLookup<ReadOnlySpan<char>>();
        }
    }

    /// <summary>Adds an exact route.</summary>
    public Router Map(HttpMethod method, string path, HttpHandler handler)
    {
        _exact[(int)method][path] = handler;
        return this;
    }

    /// <summary>Adds a route for every path that starts with <paramref name="prefix"/>.</summary>
    public Router MapPrefix(HttpMethod method, string prefix, HttpHandler handler)
    {
        _prefixes.Add((method, Encoding.ASCII.GetBytes(prefix), handler));
        _prefixes.Sort(static (a, b) => b.Prefix.Length.CompareTo(a.Prefix.Length));
        return this;
    }

    /// <summary>Finds the handler for the request; <paramref name="otherMethodMatches"/> tells 404 from 405.</summary>
    public bool TryMatch(HttpContext context, out HttpHandler handler, out bool otherMethodMatches)
    {
        var request = context.Request;
        var method = request.Method;
        otherMethodMatches = false;
        if (TryMatch(method, request.Path, context, out handler)) return true;
        if (method == HttpMethod.Head && TryMatch(HttpMethod.Get, request.Path, context, out handler)) return true;

        for (int m = 1; m < MethodCount; m++)
        {
            if (m == (int)method) continue;
            if (TryMatch((HttpMethod)m, request.Path, context, out _))
            {
                otherMethodMatches = true;
                break;
            }
        }
        context.RouteRemainderStart = 0;
        handler = null!;
        return false;
    }

    private bool TryMatch(HttpMethod method, ReadOnlySpan<byte> path, HttpContext context, out HttpHandler handler)
    {
        if (method != HttpMethod.Unknown && path.Length <= MaxRoutablePath)
        {
            Span<char> chars = stackalloc char[path.Length];
            if (System.Text.Ascii.ToUtf16(path, chars, out int written) == System.Buffers.OperationStatus.Done
                && _lookups[(int)method].TryGetValue(chars[..written], out handler!))
            {
                context.RouteRemainderStart = path.Length;
                return true;
            }
        }
        foreach (var (m, prefix, h) in _prefixes)
        {
            if (m == method && path.StartsWith(prefix))
            {
                context.RouteRemainderStart = prefix.Length;
                handler = h;
                return true;
            }
        }
        handler = null!;
        return false;
    }
}
