using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Yaml;
using YamlDotNet.Core.Events;
using YamlDotNet.Core;

namespace Linkerd2Gen.Load;

/// <summary>
/// Reads one YAML file into a located node tree. Refuses what a mesh file never needs and an attacker
/// could use: aliases (alias bombs), duplicate keys, more than one document, deep nesting, oversize input.
/// </summary>
public static class YamlLoader
{
    // Generous: a 10,000-service mesh is about 3.5 MB. The cap bounds memory and time on a wrong file (a log, a dump).
    public const long MaxFileBytes = 16 << 20;
    public const int MaxDepth = 64;

    public static YNode? LoadFile(string path, DiagnosticBag diagnostics)
    {
        var file = new FileInfo(path);
        if (Directory.Exists(path))
        {
            diagnostics.Add(DiagnosticCatalog.PathIsAFolder(SourceLocation.WholeFile(path)));
            return null;
        }
        if (!file.Exists)
        {
            diagnostics.Add(DiagnosticCatalog.FileNotFound(SourceLocation.WholeFile(path)));
            return null;
        }
        if (file.Length > MaxFileBytes)
        {
            diagnostics.Add(DiagnosticCatalog.FileTooLarge(SourceLocation.WholeFile(path), file.Length, MaxFileBytes));
            return null;
        }
        return Load(path, File.ReadAllText(path), diagnostics);
    }

    /// <summary>Parses <paramref name="text"/>; <paramref name="fileName"/> is used in locations only.</summary>
    public static YNode? Load(string fileName, string text, DiagnosticBag diagnostics)
    {
        if (text.Length > MaxFileBytes)
        {
            diagnostics.Add(DiagnosticCatalog.FileTooLarge(SourceLocation.WholeFile(fileName), text.Length, MaxFileBytes));
            return null;
        }
        var reader = new Reader(fileName, new Parser(new StringReader(text)), diagnostics);
        try
        {
            return reader.ReadSingleDocument();
        }
        catch (TooDeepException e)
        {
            diagnostics.Add(DiagnosticCatalog.NestingTooDeep(reader.At(e.Start), MaxDepth));
            return null;
        }
        catch (YamlException e)
        {
            // YamlDotNet blames the mapping that holds a tab-indented line; the tab itself is what to fix.
            var at = e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstIndentingTab(text) is { } tab
                ? new SourceLocation(fileName, tab.Line, tab.Column)
                : reader.At(e.Start);
            diagnostics.Add(DiagnosticCatalog.YamlSyntax(at, Clean(e.Message)));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's parser gives up this way on some unterminated flow collections ("{name: " at the end).
            diagnostics.Add(DiagnosticCatalog.YamlSyntax(reader.At(reader.OpenFlow ?? reader.Last), "the document ends inside this flow collection ({…} or […])"));
            return null;
        }
    }

    /// <summary>The first tab in a line's indentation (1-based line and column), if any.</summary>
    private static (int Line, int Column)? FirstIndentingTab(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0) return (i + 1, tab + 1);
        }
        return null;
    }

    private sealed class TooDeepException(Mark start) : Exception
    {
        public Mark Start { get; } = start;
    }

    // YamlDotNet prefixes messages with "(Line: 1, Col: 2, Idx: 3) - (…): "; the location is ours to print.
    private static string Clean(string message)
    {
        var i = message.LastIndexOf("): ", StringComparison.Ordinal);
        return (i >= 0 && message.StartsWith('(') ? message[(i + 3)..] : message).TrimEnd('.');
    }

    private sealed class Reader(string fileName, IParser parser, DiagnosticBag diagnostics)
    {
        public SourceLocation At(Mark mark) => new(fileName, (int)mark.Line, (int)mark.Column);

        /// <summary>Where the last node read started: the best position to blame when the parser fails oddly.</summary>
        public Mark Last { get; private set; } = Mark.Empty;

        /// <summary>Where the innermost flow collection still open started.</summary>
        public Mark? OpenFlow => _flows.Count > 0 ? _flows.Peek() : null;

        private readonly Stack<Mark> _flows = new();

        public YNode? ReadSingleDocument()
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out var end))
            {
                diagnostics.Add(DiagnosticCatalog.EmptyFile(new SourceLocation(fileName, 1, 1)));
                return null;
            }
            parser.Consume<DocumentStart>();
            var root = ReadNode(0);
            parser.Consume<DocumentEnd>();
            if (parser.Current is DocumentStart second && !EmptyLastDocument())
            {
                diagnostics.Add(DiagnosticCatalog.MultipleDocuments(At(second.Start)));
                return null;
            }
            if (root is YScalar { IsPlain: true } s && IsNull(s.Value))
            {
                diagnostics.Add(DiagnosticCatalog.EmptyFile(new SourceLocation(fileName, 1, 1)));
                return null;
            }
            return root;
        }

        /// <summary>A trailing `---` (an empty document, then the end) is no second document.</summary>
        private bool EmptyLastDocument()
        {
            parser.Consume<DocumentStart>();
            var empty = parser.Current is Scalar { Value: "", Style: ScalarStyle.Plain };
            if (!empty) return false;
            parser.MoveNext();
            parser.Consume<DocumentEnd>();
            return parser.Current is StreamEnd;
        }

        private static bool IsNull(string value) => value is "" or "~" or "null" or "Null" or "NULL";

        private YNode ReadNode(int depth)
        {
            if (depth > MaxDepth)
            {
                throw new TooDeepException(parser.Current!.Start);
            }
            Last = parser.Current?.Start ?? Last;
            switch (parser.Current)
            {
                case AnchorAlias alias:
                    diagnostics.Add(DiagnosticCatalog.AliasRefused(At(alias.Start)));
                    parser.MoveNext();
                    return new YScalar(At(alias.Start), "", true, null);
                case Scalar scalar:
                    parser.MoveNext();
                    return ToScalar(scalar);
                case SequenceStart start:
                {
                    if (start.Style == SequenceStyle.Flow) _flows.Push(start.Start);
                    parser.MoveNext();
                    var items = new List<YNode>();
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        items.Add(ReadNode(depth + 1));
                    }
                    if (start.Style == SequenceStyle.Flow) _flows.Pop();
                    return new YSequence(At(start.Start), items);
                }
                case MappingStart start:
                {
                    if (start.Style == MappingStyle.Flow) _flows.Push(start.Start);
                    parser.MoveNext();
                    var entries = new List<YEntry>();
                    // Keys are looked up in a set only in a large mapping: most have a handful, and a set each was a
                    // tenth of what loading a large mesh allocated.
                    Dictionary<string, YEntry>? keys = null;
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        var keyNode = ReadNode(depth + 1);
                        var value = ReadNode(depth + 1);
                        if (keyNode is not YScalar key)
                        {
                            diagnostics.Add(DiagnosticCatalog.ComplexKey(keyNode.Start));
                            continue;
                        }
                        if ((keys is null ? Named(entries, key.Value) : keys.GetValueOrDefault(key.Value)) is { } first)
                        {
                            diagnostics.Add(DiagnosticCatalog.DuplicateKey(key.Start, key.Value, first.Key.Start));
                            continue;
                        }
                        var entry = new YEntry(key, value);
                        entries.Add(entry);
                        if (keys is not null) keys.Add(key.Value, entry);
                        else if (entries.Count == 16) keys = entries.ToDictionary(e => e.Key.Value, StringComparer.Ordinal);
                    }
                    if (start.Style == MappingStyle.Flow) _flows.Pop();
                    return new YMapping(At(start.Start), entries);
                }
                default:
                    var ev = parser.Current!;
                    throw new YamlException(ev.Start, ev.End, $"unexpected {ev.GetType().Name}");
            }
        }

        private static YEntry? Named(List<YEntry> entries, string key)
        {
            foreach (var entry in entries)
            {
                if (entry.Key.Value == key) return entry;
            }
            return null;
        }

        private YScalar ToScalar(Scalar scalar)
        {
            var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
            return new YScalar(At(scalar.Start), scalar.Value, scalar.Style == ScalarStyle.Plain && tag is null, tag);
        }
    }
}
