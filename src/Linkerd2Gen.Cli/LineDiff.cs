using System.Text;

namespace Linkerd2Gen.Cli;

/// <summary>A whole-file unified diff (longest common subsequence of lines); bundle files are small.</summary>
public static class LineDiff
{
    public static string Unified(string path, string before, string after)
    {
        var a = Lines(before);
        var b = Lines(after);
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);

        var text = new StringBuilder();
        text.Append($"--- {path}\n+++ {path} (rendered)\n@@ -1,{a.Length} +1,{b.Length} @@\n");
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { text.Append(' ').Append(a[x++]).Append('\n'); y++; }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1])) text.Append('-').Append(a[x++]).Append('\n');
            else text.Append('+').Append(b[y++]).Append('\n');
        }
        return text.ToString();
    }

    private static string[] Lines(string s) => s.Length == 0 ? [] : s.TrimEnd('\n').Split('\n');
}
