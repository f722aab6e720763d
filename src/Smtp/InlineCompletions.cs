using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace MailerQ.Www.Smtp;

/// <summary>
/// Runs a socket's completions on the runtime's epoll thread instead of handing each one to the thread pool
/// (Linux only), per socket: the runtime's experimental <c>Socket.PreferInlineCompletions</c>, which it keeps
/// reachable from outside on purpose (<c>DynamicDependency</c> in SocketAsyncContext.Unix.cs) but does not make public.
/// </summary>
/// <remarks>
/// <para>Why: an SMTP exchange is eight round trips of a few dozen bytes, and with pool dispatch every one of them
/// is an epoll wake-up, a handoff to a pool worker and that worker's wake-up — 12–14 context switches per
/// message, the largest single cost of inbound SMTP on the 2-core test machine, where a wake-up is an IPI
/// to the other vCPU (perf, docs/perf.md "Inbound SMTP: inline completions"). Inline (and resumed by the journal writer after its flush), a message costs
/// 3–4 switches and a quarter less CPU.</para>
/// <para>The price: code that runs in a completion holds up every other socket of that epoll thread, so a
/// session runs inline only while nothing it does can block: plain text (TLS handshakes go to the pool), a
/// message held in memory (one spooled to a file goes to the pool), and no AUTH backend call (the session
/// leaves the epoll thread first). The console's HTTP server keeps pool dispatch (logins, SQLite).</para>
/// <para>The process-wide switch (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>) would do this for every
/// socket, HTTP included. If a runtime no longer has the setter, <see cref="TrySet"/> returns false once and for
/// all and sessions simply use the pool, as before.</para>
/// </remarks>
internal static class InlineCompletions
{
    private static volatile bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>False when this runtime cannot do it (not Linux, or the setter is gone); the socket is unchanged then.</summary>
    public static bool TrySet(Socket socket, bool inline)
    {
        if (_unavailable)
            return false;
        try
        {
            SetPreferInlineCompletions(socket, inline);
            return true;
        }
        catch (MissingMethodException)
        {
            _unavailable = true;
            return false;
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_PreferInlineCompletions")]
    private static extern void SetPreferInlineCompletions(Socket socket, bool value);
}
