using System.Text;

namespace MailerQ.Www.Http.Tests.WebSockets;

/// <summary>
/// TEST DOUBLE for the /ws login hook, to be replaced by the real check when the auth work lands:
/// accepts the cookie <c>mq_session=test-session</c> or Basic <c>admin:secret</c>, nothing else.
/// </summary>
internal static class TestLogin
{
    public const string Cookie = "mq_session=test-session";
    public static readonly string Basic = "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("admin:secret"));

    public static bool Authorize(HttpContext context)
    {
        var request = context.Request;
        return request.Cookie.SequenceEqual(Encoding.ASCII.GetBytes(Cookie))
            || request.Authorization.SequenceEqual(Encoding.ASCII.GetBytes(Basic));
    }
}
