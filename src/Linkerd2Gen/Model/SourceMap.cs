using Linkerd2Gen.Diagnostics;

namespace Linkerd2Gen.Model;

/// <summary>
/// Maps a JSON Pointer into the converted document back to file:line:col: the key's position (for
/// "unknown field") and the value's position (for "wrong value").
/// </summary>
public sealed class SourceMap(string file)
{
    /// <summary>Every place is in <see cref="File"/>: only lines and columns are kept (a key's line 0: no key), half the
    /// room of two locations. A mesh of a thousand services has some 12,000 entries, and this table, grown on the large
    /// object heap while the file loads, counts toward the budget whose end makes the collector collect everything.</summary>
    private readonly Dictionary<string, (int KeyLine, int KeyColumn, int ValueLine, int ValueColumn)> _map = new(StringComparer.Ordinal);

    public string File { get; } = file;

    internal void Add(string pointer, SourceLocation? key, SourceLocation value) =>
        _map[pointer] = (key?.Line ?? 0, key?.Column ?? 0, value.Line, value.Column);

    private readonly HashSet<string> _nonFinite = new(StringComparer.Ordinal);

    /// <summary>Plain scalars YAML reads as an infinite or not-a-number float (.inf, .nan, 1e400), which JSON cannot hold:
    /// they stand as strings in the document and are reported as the numbers they are.</summary>
    public void MarkNonFinite(string pointer) => _nonFinite.Add(pointer);

    public bool IsNonFinite(string pointer) => _nonFinite.Contains(pointer);

    public IEnumerable<string> NonFinite => _nonFinite.Order(StringComparer.Ordinal);

    /// <summary>Whether the document has a node at <paramref name="pointer"/>.</summary>
    public bool Contains(string pointer) => _map.ContainsKey(pointer);

    /// <summary>Where the value at <paramref name="pointer"/> starts; falls back to the nearest ancestor.</summary>
    public SourceLocation Value(string pointer) => Find(pointer).Value;

    /// <summary>Where the key naming <paramref name="pointer"/> stands (the value for array items).</summary>
    public SourceLocation Key(string pointer)
    {
        var found = Find(pointer);
        return found.Key ?? found.Value;
    }

    private (SourceLocation? Key, SourceLocation Value) Find(string pointer)
    {
        for (var p = pointer; ; p = Parent(p))
        {
            if (_map.TryGetValue(p, out var hit))
            {
                return (hit.KeyLine == 0 ? null : new SourceLocation(File, hit.KeyLine, hit.KeyColumn), new SourceLocation(File, hit.ValueLine, hit.ValueColumn));
            }
            if (p.Length == 0)
            {
                return (null, SourceLocation.WholeFile(File));
            }
        }
    }

    private static string Parent(string pointer) => pointer[..Math.Max(0, pointer.LastIndexOf('/'))];

    public static string Escape(string segment) => segment.Replace("~", "~0").Replace("/", "~1");

    public static string Child(string pointer, string segment) => $"{pointer}/{Escape(segment)}";

    public static string Child(string pointer, int index) => $"{pointer}/{index}";
}
