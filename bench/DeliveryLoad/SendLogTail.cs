namespace MailerQ.Www.Bench.DeliveryLoad;

/// <summary>
/// Counts the send log's lines by disposition as the file grows (docs/delivery.md "Send log":
/// <c>DATE TIME ID DISPOSITION …</c>). Reading a file does not disturb the server the way polling its API would.
/// </summary>
internal sealed class SendLogTail(string path)
{
    private long _offset;
    private string _partial = "";

    public long Delivered { get; private set; }
    public long Failed { get; private set; }
    public long Retried { get; private set; }
    public string? LastFailure { get; private set; }

    public void Poll()
    {
        if (!File.Exists(path))
            return;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Position = _offset;
        var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        // Advance by what was read, not by the file's length now: the server may have appended meanwhile.
        _offset += bytes.Length;
        string text = _partial + System.Text.Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
        int start = 0;
        while (true)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0)
                break;
            Count(text.AsSpan(start, end - start));
            start = end + 1;
        }
        _partial = text[start..];
    }

    private void Count(ReadOnlySpan<char> line)
    {
        // Skip date, time and id.
        for (int field = 0; field < 3; field++)
        {
            int blank = line.IndexOf(' ');
            if (blank < 0)
                return;
            line = line[(blank + 1)..];
        }
        if (line.StartsWith("delivered ", StringComparison.Ordinal))
            Delivered++;
        else if (line.StartsWith("failed ", StringComparison.Ordinal))
        {
            Failed++;
            LastFailure = line.ToString();
        }
        else if (line.StartsWith("retry ", StringComparison.Ordinal))
        {
            Retried++;
            LastFailure = line.ToString();
        }
    }
}
