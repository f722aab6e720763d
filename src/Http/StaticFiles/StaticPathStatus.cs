namespace MailerQ.Www.Http.StaticFiles;

/// <summary>Outcome of mapping a request path onto www-dir; the connection edge maps it to 200/304, 404 or 400.</summary>
internal enum StaticPathStatus
{
    /// <summary>A regular file inside www-dir was found.</summary>
    Found,

    /// <summary>Well-formed, but nothing servable there: missing, a directory, hidden, or a symlink leaving www-dir.</summary>
    NotFound,

    /// <summary>The path itself is malformed or hostile: bad escape, encoded separator, NUL/control, dot segment, invalid UTF-8, too long.</summary>
    BadRequest,
}
