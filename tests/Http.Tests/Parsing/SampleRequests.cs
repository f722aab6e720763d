namespace MailerQ.Www.Http.Tests.Parsing;

/// <summary>Realistic request heads, byte for byte as a client sends them.</summary>
internal static class SampleRequests
{
    /// <summary>Builds a head from lines: each gets CRLF, then the empty line that ends the head.</summary>
    public static string Head(params string[] lines) => string.Concat(lines.Select(l => l + "\r\n")) + "\r\n";

    /// <summary>What Chrome sends for a console page: about 800 bytes, of which ~700 are field lines.</summary>
    public static readonly string BrowserGet = Head(
        "GET /console/messages?page=2&sort=date HTTP/1.1",
        "Host: mailerq.example.com:8485",
        "Connection: keep-alive",
        "sec-ch-ua: \"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"",
        "sec-ch-ua-mobile: ?0",
        "sec-ch-ua-platform: \"Linux\"",
        "Upgrade-Insecure-Requests: 1",
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8",
        "Sec-Fetch-Site: same-origin",
        "Sec-Fetch-Mode: navigate",
        "Sec-Fetch-User: ?1",
        "Sec-Fetch-Dest: document",
        "Referer: https://mailerq.example.com:8485/console/",
        "Accept-Encoding: gzip, deflate, br, zstd",
        "Accept-Language: en-US,en;q=0.9,nl;q=0.8",
        "Cookie: mq_session=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg; mq_theme=dark",
        "If-None-Match: W/\"5e1f-18c2a3b4\"");

    public const string ApiJson = "{\"recipients\":[\"a@example.com\",\"b@example.com\"],\"subject\":\"hello\",\"priority\":3}";

    /// <summary>A console API call with a JSON body.</summary>
    public static readonly string ApiPost = Head(
        "POST /api/messages HTTP/1.1",
        "Host: mailerq.example.com:8485",
        "Content-Type: application/json",
        "Content-Length: " + ApiJson.Length,
        "Origin: https://mailerq.example.com:8485",
        "X-CSRF-Token: 7c1d9e0a4b",
        "X-Requested-With: XMLHttpRequest",
        "Cookie: mq_session=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg") + ApiJson;
}
