using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Linkerd2Gen.Cli;

/// <summary>
/// Standard output or standard error as the command line writes them, failures included: a closed descriptor (`&gt;&amp;-`),
/// a full disk or device (`&gt; /dev/full`), an I/O error. Standard output that fails is the command's failure, reported on
/// standard error (a run that prints nothing there, render writing files, does not fail for it); standard error that
/// fails is dropped, and the run exits 1 where it would have exited 0. A reader that goes away early (`| head`) is no
/// failure: the runtime drops what it can no longer write there.
/// </summary>
internal sealed class StandardStream : TextWriter
{
    /// <summary>Thrown for a write to standard output that failed; the command line reports it with its reason.</summary>
    public sealed class WriteFailedException(string reason, Exception? inner = null) : IOException(reason, inner);

    private readonly TextWriter? _writer;
    private readonly string? _unavailable;
    private readonly bool _throws;

    private StandardStream(bool open, Func<TextWriter> writer, bool throws)
    {
        _throws = throws;
        if (!open)
        {
            _unavailable = "the descriptor is closed";
            return;
        }
        try
        {
            _writer = writer();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The runtime's message for a descriptor it cannot open is "Access to the path is denied": say what it was.
            _unavailable = e.InnerException is IOException io ? io.Message : e.Message;
        }
    }

    /// <summary>Both, each checked before either is opened: the runtime opens one as a copy of its descriptor, which takes
    /// the lowest free one, the other's when that is closed, and output for one would then go to the other.</summary>
    public static (StandardStream Out, StandardStream Error) Open()
    {
        var (outOpen, errorOpen) = (IsOpen(1), IsOpen(2));
        return (new StandardStream(outOpen, () => Console.Out, throws: true), new StandardStream(errorOpen, () => Console.Error, throws: false));
    }

    /// <summary>Whether a write failed (or was dropped: the stream is not there).</summary>
    public bool Failed { get; private set; }

    public override Encoding Encoding => _writer?.Encoding ?? Encoding.UTF8;

    public override void Write(char value) => Guard(w => w.Write(value));

    public override void Write(string? value) => Guard(w => w.Write(value));

    public override void Write(char[] buffer, int index, int count) => Guard(w => w.Write(buffer, index, count));

    public override void WriteLine(string? value) => Guard(w => w.WriteLine(value));

    public override void Flush()
    {
        if (_writer is not null) Guard(w => w.Flush());
    }

    private void Guard(Action<TextWriter> write)
    {
        string reason;
        if (_writer is null)
        {
            reason = _unavailable!;
        }
        else
        {
            try
            {
                write(_writer);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                reason = e.Message;
            }
        }
        Failed = true;
        if (_throws) throw new WriteFailedException(reason);
    }

    /// <summary>Whether <paramref name="descriptor"/> is open for writing. Closed, it may have been taken by the runtime
    /// before Main (the JIT build's host holds one end of its own pipe there, read-only): Linux tells how it is open.</summary>
    private static bool IsOpen(int descriptor)
    {
        if (OperatingSystem.IsWindows()) return true;
        try
        {
            using var handle = new SafeFileHandle(descriptor, ownsHandle: false);
            _ = File.GetUnixFileMode(handle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        return AccessMode(descriptor.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not ReadOnly;
    }

    private const int ReadOnly = 0, WriteOnly = 1;

    /// <summary>How descriptor <paramref name="fd"/> is open (fdinfo's octal flags, the access mode: 0 read-only,
    /// 1 write-only, 2 both); null where Linux's /proc does not say.</summary>
    internal static int? AccessMode(string fd)
    {
        try
        {
            var flags = File.ReadLines($"/proc/self/fdinfo/{fd}").FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal));
            return flags is null ? null : Convert.ToInt32(flags["flags:".Length..].Trim(), 8) & 3;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether descriptor <paramref name="fd"/> is open for writing only (a pipe's write end).</summary>
    internal static bool IsWriteEnd(string fd) => AccessMode(fd) is WriteOnly;
}
