using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Linkerd2Gen.Write;

/// <summary>
/// How staged files are made durable before the commit point. On Linux, one syncfs(2) of the file system holding the
/// staging folder flushes every staged file and the journal at once (a bundle of a thousand files took a thousand
/// fsyncs, most of a render's time); elsewhere each file is flushed as it is written.
/// </summary>
internal static class Durability
{
    public static bool Batched { get; } = OperatingSystem.IsLinux();

    /// <summary>Flushes the whole file system <paramref name="file"/> is on; an error (syncfs reports write-back errors
    /// since Linux 5.8) is an IOException, so the write fails and the old bundle stays.</summary>
    public static void SyncFileSystem(SafeFileHandle file)
    {
        if (SyncFs((int)file.DangerousGetHandle()) != 0)
        {
            throw new IOException($"syncfs failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    // A plain int in and out: no marshalling, so NativeAOT needs no generated stub.
    [DllImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static extern int SyncFs(int fd);
}
