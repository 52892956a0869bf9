using Linkerd2Gen.Diagnostics;

namespace Linkerd2Gen.Render;

/// <summary>The rendered files of one cluster, by path relative to the bundle folder ('/' separated), in ordinal order.</summary>
/// <param name="retrace">Renders a file again, traced: its lines' template locations, asked for only by a finding; null where
/// they are no template's (a patched workload's file).</param>
public sealed class Bundle(string cluster, string sourceFile, Func<string, IReadOnlyList<SourceLocation?>?>? retrace = null)
{
    public const string ManifestFile = "linkerd2gen-manifest.txt";

    private readonly SortedDictionary<string, string> _files = new(StringComparer.Ordinal);

    public string Cluster { get; } = cluster;

    /// <summary>The mesh file it was rendered from.</summary>
    public string SourceFile { get; } = sourceFile;
    public IReadOnlyDictionary<string, string> Files => _files;

    /// <summary>Which template produced each file, for bug diagnostics.</summary>
    public Dictionary<string, string> Templates { get; } = new(StringComparer.Ordinal);

    private readonly Func<string, IReadOnlyList<SourceLocation?>?> _retrace = retrace ?? (_ => null);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<SourceLocation?>?> _traced = new(StringComparer.Ordinal);

    public void Add(string path, string content, string template)
    {
        _files[path] = Normalise(content);
        Templates[path] = template;
    }

    /// <summary>The template file:line that wrote <paramref name="line"/> (1-based) of a file, or the nearest line above it
    /// (a parser may blame the end of the text), or else the template as a whole. Only a finding asks: the file is
    /// rendered again, traced, the first time.</summary>
    public SourceLocation SourceOf(string path, int line, string templateDisplayPath)
    {
        if (_traced.GetOrAdd(path, _retrace) is { } lines)
        {
            for (var i = Math.Min(line, lines.Count) - 1; i >= 0; i--)
            {
                if (lines[i] is { } at) return at;
            }
        }
        return SourceLocation.WholeFile(templateDisplayPath);
    }

    /// <summary>LF only, no trailing spaces, exactly one trailing newline.</summary>
    internal static string Normalise(string content)
    {
        if (IsNormal(content)) return content;
        // One pass, no string per line: every file of a bundle goes through here.
        var text = new System.Text.StringBuilder(content.Length + 1);
        var rest = content.AsSpan();
        while (true)
        {
            var end = rest.IndexOf('\n');
            var line = end < 0 ? rest : rest[..end];
            if (end >= 0 && line.EndsWith('\r')) line = line[..^1];
            text.Append(line.TrimEnd(" \t")).Append('\n');
            if (end < 0) break;
            rest = rest[(end + 1)..];
        }
        while (text.Length > 0 && text[^1] == '\n') text.Length--;
        return text.Append('\n').ToString();
    }

    /// <summary>Already as <see cref="Normalise"/> leaves it (the renderer normalises as it goes): kept, not copied.</summary>
    private static bool IsNormal(string content) =>
        content.Length > 0 && content[^1] == '\n' && (content.Length == 1 || content[^2] != '\n')
        && !content.Contains('\r') && !content.Contains(" \n", StringComparison.Ordinal) && !content.Contains("\t\n", StringComparison.Ordinal);
}
