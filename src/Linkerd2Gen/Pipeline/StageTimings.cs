using System.Diagnostics;
using System.Globalization;

namespace Linkerd2Gen.Pipeline;

/// <summary>
/// Wall time spent in each pipeline stage (summed over the files of a run), for `--timings`: where a slow render spends
/// its time. Printed only when asked, never into a bundle: bundles stay byte-for-byte deterministic.
/// </summary>
public sealed class StageTimings
{
    public const string Load = "load", Validate = "validate", Resolve = "resolve", Render = "render", Verify = "verify", Write = "write";

    private static readonly string[] Order = [Load, Validate, Resolve, Render, Verify, Write];
    private readonly Dictionary<string, long> ticks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> peaks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> allocated = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> cpu = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> paused = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> collected = new(StringComparer.Ordinal);

    /// <summary>Times the stage until disposed: <c>using (timings?.Measure(StageTimings.Load)) { … }</c>.</summary>
    public IDisposable Measure(string stage) => new Span(this, stage, Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime, GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration(), Collections());

    /// <summary>How many collections of each generation there have been (a gen1 collection counts as a gen0 one too).</summary>
    private static int[] Collections() => Enumerable.Range(0, GC.MaxGeneration + 1).Select(GC.CollectionCount).ToArray();

    /// <summary>Moves <paramref name="share"/> of a stage's time, processor time, allocation and collector pauses to
    /// another: for two stages that ran interleaved on the same workers (a file is verified as soon as it is rendered),
    /// split by the time the workers spent in each. The collections, whole numbers, stay with the first.</summary>
    public void Move(string from, string to, double share)
    {
        if (!peaks.TryGetValue(from, out var peak)) return;
        void Shift(Dictionary<string, long> figures)
        {
            var moved = (long)(figures[from] * share);
            figures[from] -= moved;
            figures[to] = figures.GetValueOrDefault(to) + moved;
        }
        void ShiftTime(Dictionary<string, TimeSpan> figures)
        {
            var moved = figures[from] * share;
            figures[from] -= moved;
            figures[to] = figures.GetValueOrDefault(to) + moved;
        }
        Shift(ticks);
        Shift(allocated);
        ShiftTime(cpu);
        ShiftTime(paused);
        peaks[to] = Math.Max(peaks.GetValueOrDefault(to), peak);
        collected[to] = collected.GetValueOrDefault(to) ?? new int[collected[from].Length];
    }

    public TimeSpan this[string stage] => Stopwatch.GetElapsedTime(0, ticks.GetValueOrDefault(stage));

    /// <summary>One line a stage (with the processor time of all its threads, which against the wall time shows how well
    /// it kept the cores busy, the process's peak resident memory when it ended and what the process allocated
    /// meanwhile, on every thread: allocation is what the collector's pauses grow with), then the stages' sum, the
    /// whole process's time so far (start-up and JIT included) and the garbage collector's pauses and collections.</summary>
    public void WriteTo(TextWriter writer)
    {
        static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture).PadLeft(9);
        static string MiB(long bytes) => (bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture).PadLeft(6);
        foreach (var stage in Order)
        {
            var memory = peaks.TryGetValue(stage, out var peak)
                ? $"  cpu {Ms(cpu[stage])} ms  peak {MiB(peak)} MiB  allocated {MiB(allocated[stage])} MiB  gc {Ms(paused[stage])} ms ({Generations(collected[stage])})"
                : "";
            writer.WriteLine($"timings: {stage,-9}{Ms(this[stage])} ms{memory}");
        }
        writer.WriteLine($"timings: {"stages",-9}{Ms(Order.Select(s => this[s]).Aggregate(TimeSpan.Zero, (a, b) => a + b))} ms");
        writer.WriteLine($"timings: {"process",-9}{Ms(DateTime.Now - Process.GetCurrentProcess().StartTime)} ms  cpu {Ms(Environment.CpuUsage.TotalTime)} ms");
        // The collector's share: what the process allocated, how often it collected, and how long it stood still for it.
        writer.WriteLine($"timings: {"gc",-9}{Ms(GC.GetTotalPauseDuration())} ms  paused; {MiB(GC.GetTotalAllocatedBytes()).Trim()} MiB allocated; collections: {Generations(Collections())}");
    }

    /// <summary>"gen0 4 gen1 2 gen2 1": the collections of each generation, from counts that include the older ones'.</summary>
    private static string Generations(int[] counts) =>
        string.Join(" ", counts.Select((n, g) => $"gen{g} {n - (g + 1 < counts.Length ? counts[g + 1] : 0)}"));

    private sealed class Span(StageTimings owner, string stage, long start, TimeSpan cpuBefore, long allocatedBefore, TimeSpan pausedBefore, int[] collectionsBefore) : IDisposable
    {
        public void Dispose()
        {
            var elapsed = Stopwatch.GetTimestamp() - start;
            owner.ticks[stage] = owner.ticks.GetValueOrDefault(stage) + elapsed;
            owner.cpu[stage] = owner.cpu.GetValueOrDefault(stage) + (Environment.CpuUsage.TotalTime - cpuBefore);
            owner.allocated[stage] = owner.allocated.GetValueOrDefault(stage) + GC.GetTotalAllocatedBytes() - allocatedBefore;
            owner.paused[stage] = owner.paused.GetValueOrDefault(stage) + (GC.GetTotalPauseDuration() - pausedBefore);
            var collections = Collections();
            var sum = owner.collected.GetValueOrDefault(stage) ?? new int[collections.Length];
            for (var g = 0; g < collections.Length; g++) sum[g] += collections[g] - collectionsBefore[g];
            owner.collected[stage] = sum;
            using var process = Process.GetCurrentProcess();
            owner.peaks[stage] = Math.Max(owner.peaks.GetValueOrDefault(stage), process.PeakWorkingSet64);
        }
    }
}
