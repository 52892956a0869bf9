
namespace Linkerd2Gen.Render;

/// <summary>The rendered files of one cluster, by path relative to the bundle folder ('/' separated), in ordinal order.</summary>
public sealed class Bundle(string cluster)
{
    public const string ManifestFile = "linkerd2gen-manifest.txt";

    private readonly SortedDictionary<string, string> _files = new(StringComparer.Ordinal);

    public string Cluster { get; } = cluster;
    public IReadOnlyDictionary<string, string> Files => _files;

    /// <summary>Which template produced each file, for bug diagnostics.</summary>
    public Dictionary<string, string> Templates { get; } = new(StringComparer.Ordinal);

    public void Add(string path, string content, string template)
    {
        _files[path] = Normalise(content);
        Templates[path] = template;
    }

    /// <summary>LF only, no trailing spaces, exactly one trailing newline.</summary>
    private static string Normalise(string content)
    {
        var lines = content.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd(' ', '\t'));
        return string.Join("\n", lines).TrimEnd('\n') + "\n";
    }
}
