using System.Buffers;

namespace MailerQ.Www.Http.StaticFiles;

/// <summary>
/// Conditional GET/HEAD for static files (RFC 9110 §13): does the client's cached copy still match,
/// so that the answer is <c>304 Not Modified</c>? Bytes in, bool out, no allocation.
/// </summary>
/// <remarks>
/// A malformed field never matches: the client then gets the full 200, which is always correct,
/// whereas a wrong 304 would leave it with nothing to show. The caller applies these only to
/// GET and HEAD (§13.1.2, §13.1.3). A request with several If-None-Match lines may join them with
/// ", " (§5.3) or call <see cref="IfNoneMatchHits"/> once per line and OR the results.
/// </remarks>
internal static class ETagMatcher
{
    /// <summary>
    /// The RFC 9110 §13.2.2 order: If-None-Match when present decides alone, and then
    /// If-Modified-Since is ignored (§13.1.3); otherwise If-Modified-Since decides.
    /// </summary>
    public static bool IsNotModified(
        StaticFileEntry entry,
        bool hasIfNoneMatch,
        ReadOnlySpan<byte> ifNoneMatch,
        bool hasIfModifiedSince,
        ReadOnlySpan<byte> ifModifiedSince)
    {
        if (hasIfNoneMatch)
            return IfNoneMatchHits(ifNoneMatch, entry.ETag.Span);
        return hasIfModifiedSince && NotModifiedSince(ifModifiedSince, entry.LastModifiedUtc);
    }

    /// <summary>
    /// True when If-None-Match is <c>*</c> or lists an entity-tag that weakly matches
    /// <paramref name="currentETag"/> (§8.8.3.2: opaque-tags equal, <c>W/</c> on either side ignored),
    /// i.e. the condition is false and a GET/HEAD gets 304 (§13.1.2).
    /// </summary>
    public static bool IfNoneMatchHits(ReadOnlySpan<byte> fieldValue, ReadOnlySpan<byte> currentETag)
    {
        var current = OpaqueTag(currentETag);
        var rest = fieldValue.Trim(" \t"u8);

        // If-None-Match = "*" / #entity-tag: "*" stands alone, never inside a list.
        if (rest.Length == 1 && rest[0] == '*')
            return true;

        bool hit = false;
        while (true)
        {
            // §5.6.1: empty list elements and OWS around commas must be accepted.
            rest = rest.TrimStart(" \t,"u8);
            if (rest.IsEmpty)
                return hit;

            // entity-tag = [ weak ] opaque-tag, weak = %s"W/" (case-sensitive, §8.8.3).
            int start = rest.StartsWith("W/"u8) ? 2 : 0;
            if (rest.Length < start + 2 || rest[start] != '"')
                return false;
            int close = rest[(start + 1)..].IndexOf((byte)'"');
            if (close < 0)
                return false;
            var opaque = rest.Slice(start, close + 2);
            if (opaque[1..^1].ContainsAny(NotEtagc))
                return false;
            hit |= current.Length > 0 && opaque.SequenceEqual(current);

            rest = rest[(start + close + 2)..].TrimStart(" \t"u8);
            if (!rest.IsEmpty && rest[0] != ',')
                return false;
        }
    }

    /// <summary>
    /// True when If-Modified-Since holds a valid IMF-fixdate not earlier than the last modification
    /// (second precision), i.e. the condition is false and a GET/HEAD gets 304 (§13.1.3). Invalid
    /// dates and lists of dates are ignored (false).
    /// </summary>
    public static bool NotModifiedSince(ReadOnlySpan<byte> fieldValue, DateTime lastModifiedUtc)
    {
        if (!HttpDate.TryParse(fieldValue, out var since))
            return false;
        long seconds = lastModifiedUtc.Ticks - lastModifiedUtc.Ticks % TimeSpan.TicksPerSecond;
        return seconds <= since.Ticks;
    }

    // Bytes that are not etagc (§8.8.3: %x21 / %x23-7E / obs-text): controls, SP and DEL. DQUOTE
    // cannot occur, since an opaque-tag ends at the first one.
    private static readonly SearchValues<byte> NotEtagc = SearchValues.Create(
        [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
         0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x7F]);

    private static ReadOnlySpan<byte> OpaqueTag(ReadOnlySpan<byte> etag) => etag.StartsWith("W/"u8) ? etag[2..] : etag;
}
