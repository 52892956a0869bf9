using System.Text;
using DiffPlex;

namespace Linkerd2Gen.Cli;

/// <summary>Unified diffs as git prints them: hunks with three lines of context; /dev/null for an added or removed file.</summary>
public static class LineDiff
{
    private const int Context = 3;

    /// <param name="before">The file on disk, or null when it is absent.</param>
    /// <param name="after">The rendered file, or null when it is no longer rendered.</param>
    public static string Unified(string path, string? before, string? after)
    {
        var a = Lines(before ?? "");
        var b = Lines(after ?? "");
        var blocks = Differ.Instance.CreateDiffs(string.Join("\n", a), string.Join("\n", b), ignoreWhiteSpace: false, ignoreCase: false, new DiffPlex.Chunkers.LineChunker()).DiffBlocks;
        if (before is not null && after is not null && blocks.Count == 0) return "";
        var text = new StringBuilder();
        text.Append(before is null ? "--- /dev/null\n" : $"--- a/{path}\n");
        text.Append(after is null ? "+++ /dev/null\n" : $"+++ b/{path}\n");
        // Group blocks whose context overlaps into one hunk.
        var i = 0;
        while (i < blocks.Count)
        {
            var first = i;
            while (i + 1 < blocks.Count && blocks[i + 1].DeleteStartA - (blocks[i].DeleteStartA + blocks[i].DeleteCountA) <= 2 * Context) i++;
            var last = i++;
            var startA = Math.Max(0, blocks[first].DeleteStartA - Context);
            var startB = Math.Max(0, blocks[first].InsertStartB - Context);
            var endA = Math.Min(a.Length, blocks[last].DeleteStartA + blocks[last].DeleteCountA + Context);
            var endB = Math.Min(b.Length, blocks[last].InsertStartB + blocks[last].InsertCountB + Context);
            text.Append($"@@ -{Range(startA, endA - startA)} +{Range(startB, endB - startB)} @@\n");
            var x = startA;
            for (var k = first; k <= last; k++)
            {
                var block = blocks[k];
                for (; x < block.DeleteStartA; x++) text.Append(' ').Append(a[x]).Append('\n');
                for (var d = 0; d < block.DeleteCountA; d++) text.Append('-').Append(a[block.DeleteStartA + d]).Append('\n');
                for (var n = 0; n < block.InsertCountB; n++) text.Append('+').Append(b[block.InsertStartB + n]).Append('\n');
                x = block.DeleteStartA + block.DeleteCountA;
            }
            for (; x < endA; x++) text.Append(' ').Append(a[x]).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>git's hunk range: "start,count", 1-based; an empty range names the line before it.</summary>
    private static string Range(int start, int count) => count == 0 ? $"{start},0" : count == 1 ? $"{start + 1}" : $"{start + 1},{count}";

    private static string[] Lines(string s) => s.Length == 0 ? [] : s.TrimEnd('\n').Split('\n');
}
