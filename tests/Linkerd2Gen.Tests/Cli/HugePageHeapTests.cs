using System.Globalization;
using Linkerd2Gen.Cli;
using Linkerd2Gen.Tests.Support;
using Xunit;

namespace Linkerd2Gen.Tests.Cli;

/// <summary>The binary asks for huge pages on the collector's heap: only inside the collector's reservation, and then so
/// that the kernel can give them (one mapping, read-write, huge pages advised).</summary>
public class HugePageHeapTests
{
    private const long MiB = 1L << 20, Span = 512 * MiB;

    // The layout of a NativeAOT render on Linux, from its /proc/self/maps: the binary, the collector's bookkeeping, then
    // its reservation (tens of GiB, committed 64 KiB at a time), a thread stack with its guard page, a library.
    private const string Maps = """
        55d1e0a00000-55d1e0a1b000 r--p 00000000 08:01 1311 /usr/local/bin/linkerd2gen
        55d1e0a1b000-55d1e1297000 r-xp 0001b000 08:01 1311 /usr/local/bin/linkerd2gen
        55d1e1a8c000-55d1e2079000 rw-p 00000000 00:00 0
        7f3ae7881000-7f3ae788b000 rw-p 00000000 00:00 0
        7f3ae788b000-7f3b02df2000 ---p 00000000 00:00 0
        7f3b02df2000-7f3b05000000 ---p 00000000 00:00 0
        7f3b05000000-7f3b05001000 rw-p 00000000 00:00 0
        7f3b05001000-7f3b05400000 ---p 00000000 00:00 0
        7f3b05400000-7f3b05411000 rw-p 00000000 00:00 0
        7f3b05411000-7f46c7200000 ---p 00000000 00:00 0
        7f46c7200000-7f46c7201000 ---p 00000000 00:00 0
        7f46c7201000-7f46c7a01000 rw-p 00000000 00:00 0
        7f46cf9d0000-7f46cf9f8000 r--p 00000000 08:01 2048 /usr/lib/x86_64-linux-gnu/libc.so.6
        """;

    private static long At(string hex) => long.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [Fact]
    public void An_object_of_the_collectors_reservation_gets_the_span_above_it_and_the_32_MiB_below()
    {
        // From the 2 MiB boundary below the object (7f3b05400000), 32 MiB down, through committed and reserved mappings.
        var plan = HugePageHeap.Plan(Maps, At("7f3b05409a10"), Span);

        Assert.Equal((At("7f3b03400000"), 32 * MiB + Span), plan);
    }

    [Fact]
    public void The_range_below_stops_where_the_reservation_starts()
    {
        // The same layout without the bookkeeping before the reservation: nothing below 7f3b02df2000 is touched.
        var alone = string.Join('\n', Maps.Split('\n').Where(line => !line.StartsWith("7f3ae7", StringComparison.Ordinal)));

        var plan = HugePageHeap.Plan(alone, At("7f3b03800000"), Span);

        Assert.Equal((At("7f3b02df2000"), 32 * MiB + Span), plan);
    }

    [Theory]
    [InlineData("55d1e0a1c000", "the binary's code")]
    [InlineData("7f46c7201800", "a thread's stack: its reservation ends within the span")]
    [InlineData("7f46cf9d1000", "a library")]
    [InlineData("7f4700000000", "no mapping at all")]
    [InlineData("7f46c0000000", "near the reservation's end: less than another span after it")]
    public void Anything_but_the_collectors_reservation_is_left_alone(string probe, string what)
    {
        Assert.True(HugePageHeap.Plan(Maps, At(probe), Span) is null, what);
    }

    [Fact]
    public void A_hole_or_a_named_mapping_ends_the_reservation()
    {
        // The same reservation cut by a named mapping, then by a gap: neither counts as the collector's.
        var cut = Maps.Replace("7f3b05411000-7f46c7200000 ---p 00000000 00:00 0", "7f3b05411000-7f3b05412000 rw-p 00000000 00:00 0 [anon:other]\n7f3b05412000-7f46c7200000 ---p 00000000 00:00 0");
        var gap = Maps.Replace("7f3b05411000-7f46c7200000", "7f3b05412000-7f46c7200000");

        Assert.Null(HugePageHeap.Plan(cut, At("7f3b05409a10"), Span));
        Assert.Null(HugePageHeap.Plan(gap, At("7f3b05409a10"), Span));
    }

    [Fact]
    public void Text_that_is_not_a_maps_file_is_refused()
    {
        Assert.Null(HugePageHeap.Plan("not a mapping\n", 0x1000, Span));
    }

    [HugePagesFact]
    public void The_JIT_build_asks_for_huge_pages_for_its_heap_too()
    {
        // In a process of its own, as a user starts it: in this test host, after tests have filled its heap for a
        // while, a new object can lie past the prepared span, and a region the collector decommits is remapped without advice.
        var mappings = Smaps.WhileInjectWaits("dotnet", [Path.Combine(AppContext.BaseDirectory, "linkerd2gen.dll")], Smaps.HasHugePageHeap);

        Assert.True(Smaps.HasHugePageHeap(mappings), $"{Smaps.HugePageHeapBytes(mappings) >> 20} MiB read-write with huge pages advised and kept in core dumps (the collector's heap is 544 MiB of it)");
    }
}

/// <summary>A fact for Linux with transparent huge pages offered (not "never"): skipped elsewhere, with the reason.</summary>
public sealed class HugePagesFactAttribute : FactAttribute
{
    public HugePagesFactAttribute() => Skip = Why();

    public static string? Why()
    {
        const string setting = "/sys/kernel/mm/transparent_hugepage/enabled";
        return !OperatingSystem.IsLinux() || !File.Exists(setting) ? "Linux with transparent huge pages only"
            : File.ReadAllText(setting).Contains("[never]", StringComparison.Ordinal) ? "transparent huge pages are off here (never)"
            : null;
    }
}
