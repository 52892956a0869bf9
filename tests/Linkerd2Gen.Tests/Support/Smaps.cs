using System.Diagnostics;
using System.Globalization;

namespace Linkerd2Gen.Tests.Support;

/// <summary>A process's memory mappings as /proc/PID/smaps lists them: bounds and VmFlags (rd wr … hg: huge pages
/// advised, dd: left out of core dumps).</summary>
public static class Smaps
{
    public sealed record Mapping(long Start, long End, string[] Flags)
    {
        public bool Holds(long address) => Start <= address && address < End;
    }

    /// <summary>The mappings of /proc/<paramref name="process"/>/smaps ("self" for this one); none when the process has
    /// ended or has not started yet.</summary>
    public static List<Mapping> Read(string process = "self")
    {
        var mappings = new List<Mapping>();
        try
        {
            foreach (var line in File.ReadLines($"/proc/{process}/smaps"))
            {
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 5 && fields[0].Split('-') is [var from, var to] && long.TryParse(from, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
                    && long.TryParse(to, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
                {
                    mappings.Add(new Mapping(start, end, []));
                }
                else if (line.StartsWith("VmFlags:", StringComparison.Ordinal) && mappings.Count > 0)
                {
                    mappings[^1] = mappings[^1] with { Flags = line["VmFlags:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries) };
                }
            }
        }
        catch (IOException)
        {
            // The process ended, or had not yet started: no mappings this time.
        }
        return mappings;
    }

    /// <summary>The mappings of <paramref name="file"/> run as `inject -`: it waits on its standard input there, its
    /// start-up done, while they are read (every 20 ms, for 30 s at most) until <paramref name="done"/> says so.</summary>
    public static List<Mapping> WhileInjectWaits(string file, IEnumerable<string> args, Func<List<Mapping>, bool> done)
    {
        var start = new ProcessStartInfo(file, [.. args, "inject", "-"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        List<Mapping> mappings = [];
        try
        {
            for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline && !done(mappings); Thread.Sleep(20))
            {
                mappings = Read(process.Id.ToString(CultureInfo.InvariantCulture));
            }
        }
        finally
        {
            process.StandardInput.Close();
            process.WaitForExit();
        }
        return mappings;
    }

    /// <summary>How much memory is read-write with huge pages advised and kept in core dumps, as
    /// <see cref="Linkerd2Gen.Cli.HugePageHeap"/> leaves the collector's heap. Summed: the collector decommits a free
    /// region by mapping fresh pages over it, which splits the one mapping it was (and those pages lose the advice).</summary>
    public static long HugePageHeapBytes(List<Mapping> mappings) =>
        mappings.Where(m => m.Flags.Contains("wr") && m.Flags.Contains("hg") && !m.Flags.Contains("dd")).Sum(m => m.End - m.Start);

    /// <summary>The binary's heap prepared: of its 544 MiB, at least 256 MiB still advised (what decommits leave).</summary>
    public static bool HasHugePageHeap(List<Mapping> mappings) => HugePageHeapBytes(mappings) >= 256L << 20;
}
