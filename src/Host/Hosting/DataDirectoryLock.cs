namespace MailerQ.Www.Host.Hosting;

/// <summary>
/// One mailerq per <c>data-directory</c>: an exclusive lock on <c>mailerq.lock</c> in it, held until the process ends
/// (the kernel drops it on any exit, kill -9 included, so a crash never leaves a stale lock behind).
/// </summary>
/// <remarks>
/// Why: a second instance started on the same directory by mistake (a manual start next to the service) would run the
/// queue's crash recovery while the first is live — delete its unfinished files under <c>queue/tmp</c> and replay and
/// delete its spool journal segments — before it failed on the ports. It now stops first, with exit 2, naming the key.
/// The lock is flock(2), taken by <see cref="FileShare.None"/>; the file holds the owner's pid for the operator.
/// </remarks>
internal sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "mailerq.lock";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <summary>The lock, or null with <paramref name="error"/> saying why not (held by another process, or not writable).</summary>
    public static DataDirectoryLock? TryAcquire(string directory, out string? error)
    {
        string path = Path.Combine(directory, FileName);
        FileStream? file = null;
        try
        {
            Directory.CreateDirectory(directory);
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            file.SetLength(0);
            file.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n"));
            error = null;
            return new DataDirectoryLock(file);
        }
        catch (IOException) when (file is null && File.Exists(path))
        {
            error = $"in use by another mailerq process (it holds {path})";
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file?.Dispose();
            error = $"cannot lock {path}: {e.Message}";
            return null;
        }
    }

    public void Dispose() => _file.Dispose();
}
