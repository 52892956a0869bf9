using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Model;
using Linkerd2Gen.Yaml;
using YamlDotNet.Core.Events;
using YamlDotNet.Core;

namespace Linkerd2Gen.Load;

/// <summary>
/// Reads one mesh file into the JSON the schema and the model read, with the place of each of its values (see
/// <see cref="YamlToJson"/>), in one pass over its YAML events. Refuses what a mesh file never needs and an attacker
/// could use: aliases (alias bombs), duplicate keys, more than one document, deep nesting, oversize input; and a document
/// that is not a mapping.
/// </summary>
public static class YamlLoader
{
    /// <summary>A file read: its JSON text, its source map, and whether a number in it is written as a float.</summary>
    public sealed record Loaded(ReadOnlyMemory<byte> Utf8, SourceMap Map, bool Floats);

    // Generous: a 10,000-service mesh is about 3.5 MB. The cap bounds memory and time on a wrong file (a log, a dump).
    public const long MaxFileBytes = 16 << 20;
    public const int MaxDepth = 64;

    /// <returns>The file as JSON, or null when it has errors (they are in the bag).</returns>
    /// <param name="namespaceRead">Given the JSON of each item of the top-level `namespaces` as soon as it is read (the
    /// schema check of a namespace can start while the rest of the file loads).</param>
    public static Loaded? LoadFile(string path, DiagnosticBag diagnostics, Action<ReadOnlyMemory<byte>>? namespaceRead = null)
    {
        if (path.Length == 0)
        {
            // An empty argument ("$MESH" unset in a script): named so that the line says what it is about.
            diagnostics.Add(DiagnosticCatalog.FileNotFound(SourceLocation.WholeFile("''")));
            return null;
        }
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
        string? text;
        try
        {
            // Read up to the cap only: a device or a pipe (/dev/zero, <(yes)) has no length to check first, and never ends.
            text = TextFile.ReadAtMost(path, MaxFileBytes, file.Length);
            if (text is null)
            {
                diagnostics.Add(DiagnosticCatalog.FileTooLarge(SourceLocation.WholeFile(path), null, MaxFileBytes));
                return null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // There, but not to be read: no permission, a link that loops or points nowhere, gone since it was looked at.
            diagnostics.Add(DiagnosticCatalog.FileUnreadable(SourceLocation.WholeFile(path), e.Message));
            return null;
        }
        return Load(path, text, diagnostics, namespaceRead);
    }

    /// <summary>Parses <paramref name="text"/>; <paramref name="fileName"/> is used in locations only.</summary>
    /// <param name="namespaceRead">See <see cref="LoadFile"/>.</param>
    public static Loaded? Load(string fileName, string text, DiagnosticBag diagnostics, Action<ReadOnlyMemory<byte>>? namespaceRead = null)
    {
        if (text.Length > MaxFileBytes)
        {
            diagnostics.Add(DiagnosticCatalog.FileTooLarge(SourceLocation.WholeFile(fileName), text.Length, MaxFileBytes));
            return null;
        }
        var json = new YamlToJson(fileName, text.Length);
        var reader = new Reader(fileName, new Parser(new StringReader(text)), json, diagnostics, namespaceRead);
        try
        {
            using var scope = diagnostics.Scope();
            if (reader.ReadSingleDocument() is not { } root || scope.HasErrors) return null;
            if (root is not MappingStart)
            {
                diagnostics.Add(DiagnosticCatalog.NotAMapping(reader.At(root.Start)));
                return null;
            }
            // The dialects' differences are worth telling about a file that loads, not about one refused.
            diagnostics.AddRange(json.Warnings);
            return new Loaded(json.Written(), json.Map, json.Floats);
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
            // YamlDotNet's parser gives up this way on some unterminated flow collections ("{name: " at the end), and on
            // some it misreads (a plain scalar with `>-` continued on the next line, which YAML allows there).
            diagnostics.Add(DiagnosticCatalog.YamlSyntax(reader.At(reader.OpenFlow ?? reader.Last), "the YAML cannot be read past this flow collection ({…} or […]): it is left open, or holds text the reader does not take"));
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

    private sealed class Reader(string fileName, IParser parser, YamlToJson json, DiagnosticBag diagnostics, Action<ReadOnlyMemory<byte>>? namespaceRead)
    {
        /// <summary>The pointer of the array whose items are handed on as they are read.</summary>
        private const string Namespaces = "/namespaces";

        public SourceLocation At(Mark mark) => new(fileName, (int)mark.Line, (int)mark.Column);

        /// <summary>Where the last node read started: the best position to blame when the parser fails oddly.</summary>
        public Mark Last { get; private set; } = Mark.Empty;

        /// <summary>Where the innermost flow collection still open started.</summary>
        public Mark? OpenFlow => _flows.Count > 0 ? _flows.Peek() : null;

        private readonly Stack<Mark> _flows = new();

        /// <summary>The document's first event (what its root is), or null when there is no document to read (the errors
        /// say why).</summary>
        public ParsingEvent? ReadSingleDocument()
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out var end))
            {
                diagnostics.Add(DiagnosticCatalog.EmptyFile(new SourceLocation(fileName, 1, 1)));
                return null;
            }
            parser.Consume<DocumentStart>();
            var root = parser.Current!;
            ReadNode(0, "", null);
            parser.Consume<DocumentEnd>();
            if (parser.Current is DocumentStart second && !EmptyLastDocument())
            {
                diagnostics.Add(DiagnosticCatalog.MultipleDocuments(At(second.Start)));
                return null;
            }
            // (An alias, refused, reads as an empty value.)
            if (root is AnchorAlias || root is Scalar { Style: ScalarStyle.Plain, Tag.IsEmpty: true } s && IsNull(s.Value))
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

        /// <summary>Reads one node, writing it at <paramref name="pointer"/> (named by the key at <paramref name="key"/>).</summary>
        private void ReadNode(int depth, string pointer, SourceLocation? key)
        {
            if (depth > MaxDepth)
            {
                throw new TooDeepException(parser.Current!.Start);
            }
            Last = parser.Current?.Start ?? Last;
            switch (parser.Current)
            {
                case Scalar or AnchorAlias:
                    json.Scalar(pointer, key, ReadScalar());
                    return;
                case SequenceStart start:
                {
                    if (start.Style == SequenceStyle.Flow) _flows.Push(start.Start);
                    parser.MoveNext();
                    json.StartArray(pointer, key, At(start.Start));
                    var handOn = namespaceRead is not null && depth == 1 && pointer == Namespaces;
                    for (var i = 0; !parser.TryConsume<SequenceEnd>(out _); i++)
                    {
                        var from = handOn ? json.Position : 0;
                        ReadNode(depth + 1, SourceMap.Child(pointer, i), null);
                        if (handOn) namespaceRead!(json.Since(from));
                    }
                    json.EndArray();
                    if (start.Style == SequenceStyle.Flow) _flows.Pop();
                    return;
                }
                case MappingStart start:
                {
                    if (start.Style == MappingStyle.Flow) _flows.Push(start.Start);
                    parser.MoveNext();
                    json.StartObject(pointer, key, At(start.Start));
                    // Keys are looked up in a set only in a large mapping: most have a handful, and a set each was a
                    // tenth of what loading a large mesh allocated.
                    var keys = new List<YScalar>();
                    Dictionary<string, YScalar>? large = null;
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        var (name, keyStart) = ReadKey(depth + 1);
                        var first = name is null ? null : large is null ? Named(keys, name.Value) : large.GetValueOrDefault(name.Value);
                        if (name is null || first is not null)
                        {
                            ReadUnwritten(depth + 1);
                            diagnostics.Add(name is null ? DiagnosticCatalog.ComplexKey(keyStart) : DiagnosticCatalog.DuplicateKey(name.Start, name.Value, first!.Start));
                            continue;
                        }
                        json.PropertyName(name.Value);
                        ReadNode(depth + 1, SourceMap.Child(pointer, name.Value), name.Start);
                        keys.Add(name);
                        if (large is not null) large.Add(name.Value, name);
                        else if (keys.Count == 16) large = keys.ToDictionary(k => k.Value, StringComparer.Ordinal);
                    }
                    json.EndObject();
                    if (start.Style == MappingStyle.Flow) _flows.Pop();
                    return;
                }
                default:
                    var ev = parser.Current!;
                    throw new YamlException(ev.Start, ev.End, $"unexpected {ev.GetType().Name}");
            }
        }

        private static YScalar? Named(List<YScalar> keys, string name)
        {
            foreach (var key in keys)
            {
                if (key.Value == name) return key;
            }
            return null;
        }

        /// <summary>A mapping's key: text (an alias, refused, reads as empty text), or null for a complex key (a mapping or a
        /// sequence), which is read without being written.</summary>
        private (YScalar? Key, SourceLocation Start) ReadKey(int depth)
        {
            if (parser.Current is Scalar or AnchorAlias && depth <= MaxDepth)
            {
                Last = parser.Current.Start;
                var scalar = ReadScalar();
                return (scalar, scalar.Start);
            }
            var start = At(parser.Current!.Start);
            ReadUnwritten(depth);
            return (null, start);
        }

        /// <summary>Reads a node the document will not hold (a complex key, or the value of a key refused) without writing
        /// any of it: the file is refused.</summary>
        private void ReadUnwritten(int depth)
        {
            json.Muted++;
            ReadNode(depth, "", null);
            json.Muted--;
        }

        /// <summary>The scalar at the current event, moved past; an alias is refused, and reads as empty text.</summary>
        private YScalar ReadScalar()
        {
            var at = At(parser.Current!.Start);
            YScalar scalar;
            if (parser.Current is Scalar written)
            {
                var tag = written.Tag.IsEmpty ? null : written.Tag.Value;
                scalar = new YScalar(at, written.Value, written.Style == ScalarStyle.Plain && tag is null, tag);
            }
            else
            {
                diagnostics.Add(DiagnosticCatalog.AliasRefused(at));
                scalar = new YScalar(at, "", true, null);
            }
            parser.MoveNext();
            return scalar;
        }
    }
}
