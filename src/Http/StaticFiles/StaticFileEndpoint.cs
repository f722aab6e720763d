using System.Text;
using MailerQ.Www.Http.Parsing;
using MailerQ.Www.Http.Responses;

namespace MailerQ.Www.Http.StaticFiles;

/// <summary>
/// Serves <c>www-dir</c>: GET and HEAD, validators (ETag, Last-Modified) and 304, the operator's
/// <c>www-cache-control</c> only when set, small files from memory and large ones streamed.
/// Static files need no login: the login page is one of them.
/// </summary>
internal sealed class StaticFileEndpoint : IDisposable
{
    private readonly StaticFileCache _cache;
    private readonly byte[]? _cacheControl;

    public StaticFileEndpoint(string root, string? cacheControl, bool watchForChanges = true)
    {
        _cache = new StaticFileCache(new StaticPathResolver(root), watchForChanges: watchForChanges);
        _cacheControl = cacheControl is null ? null : Encoding.ASCII.GetBytes(cacheControl);
    }

    public ValueTask HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (request.Method is not (HttpMethod.Get or HttpMethod.Head))
        {
            response.SetError(405);
            response.AddHeader("Allow"u8, "GET, HEAD"u8);
            return ValueTask.CompletedTask;
        }

        switch (_cache.TryGet(request.Path, out var entry))
        {
            case StaticPathStatus.BadRequest:
                response.SetError(400);
                return ValueTask.CompletedTask;
            case StaticPathStatus.NotFound:
                response.SetError(404);
                return ValueTask.CompletedTask;
        }

        var file = entry!;
        response.AddHeader("ETag"u8, file.ETag.Span);
        response.AddHeader("Last-Modified"u8, file.LastModified.Span);
        if (_cacheControl is not null) response.AddHeader("Cache-Control"u8, _cacheControl);
        response.AddHeader("X-Content-Type-Options"u8, "nosniff"u8);

        var ifNoneMatch = request.IfNoneMatch;
        var ifModifiedSince = request.IfModifiedSince;
        if (ETagMatcher.IsNotModified(file, !ifNoneMatch.IsEmpty, ifNoneMatch, !ifModifiedSince.IsEmpty, ifModifiedSince))
        {
            response.StatusCode = 304;
            return ValueTask.CompletedTask;
        }

        response.SetContentType(file.ContentType);
        if (file.IsInMemory) response.SetBody(file.Content);
        else response.SetFileBody(file.RealPath, file.Length);
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _cache.Dispose();
}
