using System.Text;

namespace Linkerd2Gen.Cli;

/// <summary>
/// Standard output whose failures are the command's, not internal errors: a closed descriptor (`&gt;&amp;-`), a full disk
/// or device (`&gt; /dev/full`), an I/O error. A run that prints nothing (render writing files) does not fail for it. A
/// reader that goes away early (`| head`) is not a failure: the runtime drops what it can no longer write there.
/// </summary>
internal sealed class StandardOutput : TextWriter
{
    /// <summary>Thrown for any write that failed; the command line reports it with its reason.</summary>
    public sealed class WriteFailedException(string reason, Exception inner) : IOException(reason, inner);

    private readonly TextWriter? _writer;
    private readonly WriteFailedException? _unavailable;

    /// <summary>Opens it at once, first thing: a closed descriptor 1 would otherwise be taken by the next file the process
    /// opens (the runtime's own copy of standard error, in the NativeAOT binary), and the output would go there.</summary>
    public StandardOutput(Func<TextWriter> open)
    {
        try
        {
            _writer = Guard(open);
        }
        catch (WriteFailedException e)
        {
            _unavailable = e;
        }
    }

    public override Encoding Encoding => _writer?.Encoding ?? Encoding.UTF8;

    private TextWriter Writer => _writer ?? throw new WriteFailedException(_unavailable!.Message, _unavailable);

    public override void Write(char value) => Guard(() => Writer.Write(value));

    public override void Write(string? value) => Guard(() => Writer.Write(value));

    public override void Write(char[] buffer, int index, int count) => Guard(() => Writer.Write(buffer, index, count));

    public override void WriteLine(string? value) => Guard(() => Writer.WriteLine(value));

    public override void Flush() => Guard(() => _writer?.Flush());

    private static void Guard(Action write) => Guard(() => { write(); return 0; });

    private static T Guard<T>(Func<T> write)
    {
        try
        {
            return write();
        }
        catch (Exception e) when (e is (IOException or UnauthorizedAccessException) and not WriteFailedException)
        {
            // The runtime's message for a descriptor it cannot open is "Access to the path is denied": say what it was.
            throw new WriteFailedException(e.InnerException is IOException io ? io.Message : e.Message, e);
        }
    }
}
