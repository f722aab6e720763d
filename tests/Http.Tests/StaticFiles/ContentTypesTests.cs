using System.Text;
using MailerQ.Www.Http.StaticFiles;

namespace MailerQ.Www.Http.Tests.StaticFiles;

public sealed class ContentTypesTests
{
    [Theory]
    [InlineData("index.html", "text/html; charset=utf-8")]
    [InlineData("page.htm", "text/html; charset=utf-8")]
    [InlineData("INDEX.HTML", "text/html; charset=utf-8")]
    [InlineData("style.css", "text/css; charset=utf-8")]
    [InlineData("app.js", "text/javascript; charset=utf-8")]
    [InlineData("module.mjs", "text/javascript; charset=utf-8")]
    [InlineData("data.json", "application/json")]
    [InlineData("app.js.map", "application/json")]
    [InlineData("favicon.svg", "image/svg+xml")]
    [InlineData("logo.png", "image/png")]
    [InlineData("photo.jpg", "image/jpeg")]
    [InlineData("photo.JPEG", "image/jpeg")]
    [InlineData("anim.gif", "image/gif")]
    [InlineData("pic.webp", "image/webp")]
    [InlineData("favicon.ico", "image/x-icon")]
    [InlineData("font.woff", "font/woff")]
    [InlineData("font.woff2", "font/woff2")]
    [InlineData("font.ttf", "font/ttf")]
    [InlineData("notes.txt", "text/plain; charset=utf-8")]
    [InlineData("feed.xml", "application/xml")]
    [InlineData("module.wasm", "application/wasm")]
    [InlineData("manual.pdf", "application/pdf")]
    [InlineData("sub/dir/app.js", "text/javascript; charset=utf-8")]
    [InlineData("archive.tar.gz", "application/octet-stream")]
    [InlineData("README", "application/octet-stream")]
    [InlineData("trailing.", "application/octet-stream")]
    [InlineData("dir.js/file", "application/octet-stream")]
    [InlineData("x.averyverylongextension", "application/octet-stream")]
    [InlineData("été.txt", "text/plain; charset=utf-8")]
    [InlineData("x.\u0130", "application/octet-stream")]
    public void Content_type_follows_the_extension(string name, string expected)
    {
        Assert.Equal(expected, Encoding.ASCII.GetString(ContentTypes.ForFileName(name).Span));
    }
}
