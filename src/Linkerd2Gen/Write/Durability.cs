using System.Runtime.InteropServices;

namespace Linkerd2Gen.Write;

/// <summary>
/// How staged files are made durable before the commit point. On Linux, one syncfs(2) of the file system holding the
/// staging folder flushes every staged file and the journal at once (a bundle of a thousand files took a thousand
/// fsyncs, most of a render's time); elsewhere each file is flushed as it is written.
/// </summary>
internal static class Durability
{
    private static readonly bool Batched = OperatingSystem.IsLinux();

    /// <summary>A staged file, written: flushed to disk now, unless the journal's flush will take it along.</summary>
    public static void Staged(Microsoft.Win32.SafeHandles.SafeFileHandle file)
    {
        if (!Batched) RandomAccess.FlushToDisk(file);
    }

    /// <summary>The journal, written: it and every staged file reach the disk before it is renamed into place. An error
    /// (syncfs reports write-back errors since Linux 5.8) is an IOException, so the write fails and the old bundle stays.</summary>
    public static void Journal(FileStream file)
    {
        if (!Batched)
        {
            file.Flush(flushToDisk: true);
            return;
        }
        file.Flush(); // the stream's own buffer to the kernel first: syncfs flushes only what the kernel holds
        if (SyncFs((int)file.SafeFileHandle.DangerousGetHandle()) != 0)
        {
            throw new IOException($"syncfs failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    // A plain int in and out: no marshalling, so NativeAOT needs no generated stub.
    [DllImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static extern int SyncFs(int fd);
}
