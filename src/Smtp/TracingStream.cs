using System.Buffers;

namespace MailerQ.Www.Smtp;

/// <summary>
/// Passes every byte read and written through to <see cref="ISmtpTrace"/> (above TLS, so the console sees the
/// SMTP text). When the trace is disabled the only cost is one property read per I/O call.
/// </summary>
/// <param name="clientSide">True on outbound connections: then the bytes we write are the SMTP client's.</param>
/// <param name="peer">The remote address (no port), so live viewers can filter by peer and direction.</param>
internal sealed class TracingStream(Stream inner, ISmtpTrace trace, long sessionId, bool clientSide = false, string? peer = null) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (n > 0 && trace.IsEnabled)
            trace.OnBytes(sessionId, fromClient: !clientSide, new ReadOnlySequence<byte>(buffer[..n]), clientSide, peer);
        return n;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!buffer.IsEmpty && trace.IsEnabled)
            trace.OnBytes(sessionId, fromClient: clientSide, new ReadOnlySequence<byte>(buffer), clientSide, peer);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
