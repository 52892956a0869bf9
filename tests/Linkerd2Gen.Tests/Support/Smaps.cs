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
}
