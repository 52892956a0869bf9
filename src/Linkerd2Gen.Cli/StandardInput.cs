using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Cli;

/// <summary>Standard input as linkerd reads it: all of it, a UTF-8 byte order mark dropped, and empty when it is closed.</summary>
public static class StandardInput
{
    /// <summary>All of it, within the cap of every input (<see cref="TextFile.Read(TextReader)"/>): over it, an IOException.</summary>
    public static string ReadAll(TextReader stdin)
    {
        if (ReferenceEquals(stdin, Console.In) && IsClosed()) return "";
        return TextFile.Read(stdin);
    }

    /// <summary>A closed standard input (`&lt;&amp;-`) leaves descriptor 0 free, and the runtime reuses it for its own files and
    /// event handles, where a read would wait forever. Linux tells what descriptor 0 really is.</summary>
    private static bool IsClosed()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            var target = new FileInfo("/proc/self/fd/0").LinkTarget;
            if (target is null || target.StartsWith("anon_inode:", StringComparison.Ordinal)
                || target.EndsWith(".dll", StringComparison.Ordinal) || target.EndsWith(".so", StringComparison.Ordinal))
            {
                return true;
            }
            // The runtime's own pipe: this process holds its write end too, so nobody else will ever write to it.
            return target.StartsWith("pipe:", StringComparison.Ordinal) && Directory.EnumerateFileSystemEntries("/proc/self/fd")
                .Any(fd => new FileInfo(fd).LinkTarget == target && StandardStream.IsWriteEnd(Path.GetFileName(fd)));
        }
        catch (IOException)
        {
            return true; // no descriptor 0 at all
        }
    }
}
