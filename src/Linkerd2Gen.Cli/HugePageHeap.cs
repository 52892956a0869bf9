using System.Globalization;
using System.Runtime.InteropServices;

namespace Linkerd2Gen.Cli;

/// <summary>
/// Asks Linux to back the garbage collector's heap with transparent huge pages: one page fault maps 2 MiB instead of 4 KiB.
/// A render touches tens of MiB of fresh heap, and where a page fault is dear (virtual machines that map each guest page
/// for the host, as CI runners are) its faults were a third of a 1,000-service run. Where the kernel gives huge pages on
/// request only (transparent_hugepage "madvise", the common default), the collector's heap never gets one by itself: it
/// commits 64 KiB at a time and marks each commit for core dumps, so no 2 MiB-aligned stretch is ever one mapping.
/// This commits the start of the collector's reserved range at once, as one mapping with the same flags throughout
/// (read-write, in core dumps, huge pages advised). Untouched pages still cost nothing; the collector's own commits
/// there become no-ops. Best effort: anything unexpected, and it leaves the process as it was.
/// </summary>
internal static partial class HugePageHeap
{
    /// <summary>How much of the reserved range is prepared: the heap of a 10,000-service render stays below 200 MiB of it.</summary>
    public const long Span = 512L << 20;

    /// <summary>The regions the collector opened before the one a new object is in (its older generations, where what
    /// survives a collection is copied to) lie just below it, at the start of the reservation: they are prepared too.</summary>
    private const long Before = 32L << 20;

    private const long HugePage = 2L << 20;
    private const int ProtReadWrite = 0x1 | 0x2, MadvHugePage = 14, MadvDoDump = 17;

    public static void Request()
    {
        if (!OperatingSystem.IsLinux() || !Offered()) return;
        try
        {
            if (Plan(File.ReadAllText("/proc/self/maps"), HeapAddress(), Span) is not var (start, length)) return;
            if (mprotect((nint)start, (nuint)length, ProtReadWrite) != 0) return;
            _ = madvise((nint)start, (nuint)length, MadvDoDump);
            if (madvise((nint)start, (nuint)length, MadvHugePage) != 0) return;
            // A gen0 collection of the still nearly empty heap (no compaction: nothing is copied). Without it, in most
            // runs a later region of the collector's was faulted in 4 KiB pages too (some 670 faults more at 1,000
            // services, a third of the run's); with it, none is. (The region in use now was written before the advice
            // and keeps its 4 KiB pages: the kernel puts no huge page where one is mapped already.)
            GC.Collect(0, GCCollectionMode.Forced, blocking: true, compacting: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No /proc: the heap stays as the collector made it.
        }
    }

    /// <summary>Whether the kernel gives transparent huge pages at all ("always" or "madvise", not "never").</summary>
    private static bool Offered()
    {
        try
        {
            return !File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[never]", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Where the collector is allocating now: the address of a new object (it is not kept).</summary>
    private static unsafe long HeapAddress()
    {
        var probe = new byte[16];
        fixed (byte* p = probe) return (long)p;
    }

    /// <summary>The range to prepare: from 32 MiB below <paramref name="probe"/> (a 2 MiB boundary) to <paramref name="span"/>
    /// above it, when it lies inside one reservation of the collector's: private anonymous mappings end to end, each
    /// either committed (rw-p) or reserved (---p), reaching on at least another <paramref name="span"/> beyond it (the
    /// collector reserves tens of GiB; a thread stack or a library's mapping is far smaller). Null otherwise.</summary>
    internal static (long Start, long Length)? Plan(string maps, long probe, long span)
    {
        var mappings = new List<(long Start, long End, bool Heap)>();
        foreach (var line in maps.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // start-end perms offset dev inode [path]
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            var bounds = fields[0].Split('-');
            if (fields.Length < 5 || bounds.Length != 2 || !long.TryParse(bounds[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
                || !long.TryParse(bounds[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
            {
                return null;
            }
            var anonymous = fields.Length == 5 && fields[4] == "0";
            mappings.Add((start, end, anonymous && fields[1] is "rw-p" or "---p"));
        }
        var at = mappings.FindIndex(m => m.Start <= probe && probe < m.End);
        if (at < 0 || !mappings[at].Heap) return null;
        var first = at;
        while (first > 0 && mappings[first - 1].Heap && mappings[first - 1].End == mappings[first].Start) first--;
        var last = at;
        while (last + 1 < mappings.Count && mappings[last + 1].Heap && mappings[last + 1].Start == mappings[last].End) last++;
        var from = Math.Max(mappings[first].Start, (probe & ~(HugePage - 1)) - Before);
        return from + Before + 2 * span <= mappings[last].End ? (from, Before + span) : null;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int mprotect(nint address, nuint length, int protection);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int madvise(nint address, nuint length, int advice);
}
