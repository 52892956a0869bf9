using System.Text.Json;
using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Render;
using SharpYaml;
using SharpYaml.Events;

namespace Linkerd2Gen.Verify;

/// <summary>
/// Reads every rendered file back before anything is written: YAML documents must parse and carry
/// apiVersion, kind and metadata.name; JSON patches must be arrays of RFC 6902 operations or merge patches naming their target. A failure is a
/// bug (in a template or an override), reported at the template line that wrote the offending line. Most files of a
/// render are proven through their shape instead (<see cref="FileShapes"/>); what is not proven is read in full.
/// </summary>
public static class BundleVerifier
{
    private static readonly HashSet<string> Ops = ["add", "remove", "replace", "move", "copy", "test"];

    /// <summary>The check of one render, for <see cref="BundleRenderer.Render"/>: a YAML file whose values' places are known
    /// is first checked through its shape (<see cref="FileShapes"/>), and read back in full only when that does not
    /// prove it reads back; any other file is read back in full. Findings always come from the full read.</summary>
    public static BundleRenderer.FileCheck ForRender()
    {
        var shapes = new FileShapes();
        return (path, content, values, at, diagnostics) =>
        {
            if (values is not null && path.EndsWith(".yaml", StringComparison.Ordinal) && shapes.Proves(content, values)) return;
            VerifyFile(path, content, at, diagnostics);
        };
    }

    /// <summary>Reads one file back in full; <paramref name="at"/> locates a line of it in the templates.</summary>
    public static void VerifyFile(string path, string content, Func<long, SourceLocation> at, DiagnosticBag diagnostics)
    {
        if (path.EndsWith(".yaml", StringComparison.Ordinal))
        {
            VerifyYaml(path, content, at, diagnostics);
        }
        else if (path.EndsWith(".json", StringComparison.Ordinal))
        {
            VerifyPatch(path, content, at, diagnostics);
        }
    }

    private static void VerifyYaml(string path, string content, Func<long, SourceLocation> at, DiagnosticBag diagnostics)
    {
        // Read as events, not as a node tree, and by a second YAML implementation: not the library whose emitter quoted
        // the values (a misreading the two shared would pass a round trip unseen), and one that reads 2–3× faster.
        try
        {
            new Walk(new YamlEvents(content), path, at, diagnostics).Stream();
        }
        catch (YamlException e)
        {
            var line = YamlEvents.Line(e.Start);
            diagnostics.Add(DiagnosticCatalog.RenderedYamlInvalid(at(line), path, $"line {line}: {YamlEvents.Message(e)}"));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            // A YAML library may give up this way on some broken input (a flow collection left open at the end).
            diagnostics.Add(DiagnosticCatalog.RenderedYamlInvalid(at(content.Count(c => c == '\n')), path, e.Message));
        }
    }

    /// <summary>One file's events, walked once. The sets of keys seen are kept one per depth and reused, and anchors one
    /// per file: a bundle has tens of thousands of mappings, and a set each was most of what verifying allocated.
    /// Walking a file's shape (<paramref name="shape"/>: its values stand in as placeholders), what depends on the values
    /// is handed to the shape instead of checked: the keys that hold a value, and what makes the shape unfit to stand
    /// for its files.</summary>
    internal sealed class Walk(YamlEvents parser, string path, Func<long, SourceLocation> at, DiagnosticBag diagnostics, FileShapes.Reading? shape = null)
    {
        private readonly List<Keys> _keysByDepth = [];
        private readonly Aliases _aliases = new();
        private int _depth;

        /// <summary>A mapping's keys: those written as text, and (walking a shape) those that hold a value.</summary>
        private sealed class Keys
        {
            public HashSet<string> Text { get; } = new(StringComparer.Ordinal);

            public List<Scalar> WithValues { get; } = [];
        }

        public void Stream()
        {
            parser.Consume<StreamStart>();
            while (!parser.TryConsume<StreamEnd>())
            {
                parser.Consume<DocumentStart>();
                _aliases.Clear();
                if (parser.Current is MappingStart root)
                {
                    Object(root);
                }
                else
                {
                    var line = YamlEvents.Line(parser.Current!.Start);
                    Node();
                    diagnostics.Add(DiagnosticCatalog.RenderedObjectInvalid(at(line), path, $"line {line}: a document is not a mapping"));
                }
                _aliases.Check();
                parser.Consume<DocumentEnd>();
            }
        }

        /// <summary>A document's object: apiVersion and kind are non-empty text; metadata.name is there (but in a kustomization).</summary>
        private void Object(MappingStart root)
        {
            var line = YamlEvents.Line(root.Start);
            string? apiVersion = null, kind = null;
            var hasName = false;
            Properties(root);
            parser.MoveNext();
            var keys = Enter();
            while (!parser.TryConsume<MappingEnd>())
            {
                var key = Key(keys);
                if (key is "apiVersion" or "kind" && parser.Current is Scalar { Value.Length: > 0 } value)
                {
                    if (key == "apiVersion") apiVersion = value.Value; else kind = value.Value;
                    Properties(value);
                    parser.MoveNext();
                }
                else if (key == "metadata" && parser.Current is MappingStart metadata)
                {
                    Properties(metadata);
                    parser.MoveNext();
                    var metadataKeys = Enter();
                    while (!parser.TryConsume<MappingEnd>())
                    {
                        hasName |= Key(metadataKeys) == "name";
                        Node();
                    }
                    Exit(metadataKeys);
                }
                else
                {
                    Node();
                }
            }
            Exit(keys);
            // Whether a kustomization needs no name depends on its apiVersion: not known from a shape where a value wrote it.
            if (shape is not null && !hasName && apiVersion is not null && FileShapes.HoldsValue(apiVersion)) shape.Unfit();
            if (apiVersion is null) diagnostics.Add(DiagnosticCatalog.RenderedObjectInvalid(at(line), path, $"line {line}: the object has no apiVersion"));
            if (kind is null) diagnostics.Add(DiagnosticCatalog.RenderedObjectInvalid(at(line), path, $"line {line}: the object has no kind"));
            var isKustomize = apiVersion?.StartsWith("kustomize.config.k8s.io/", StringComparison.Ordinal) == true;
            if (!isKustomize && !hasName) diagnostics.Add(DiagnosticCatalog.RenderedObjectInvalid(at(line), path, $"line {line}: the object has no metadata.name"));
        }

        /// <summary>A mapping entered: the (emptied) sets of its keys, one level deeper.</summary>
        private Keys Enter()
        {
            if (_depth == _keysByDepth.Count) _keysByDepth.Add(new Keys());
            var keys = _keysByDepth[_depth++];
            keys.Text.Clear();
            keys.WithValues.Clear();
            return keys;
        }

        /// <summary>A mapping left: (walking a shape) its keys that hold values are for the shape to check, file by file.</summary>
        private void Exit(Keys keys)
        {
            _depth--;
            if (keys.WithValues.Count > 0) shape!.Keys(keys.Text, keys.WithValues);
        }

        /// <summary>A mapping's key (null when it is not text); a key written twice is an error, as YAML readers say.</summary>
        private string? Key(Keys keys)
        {
            if (parser.Current is Scalar key)
            {
                Properties(key);
                parser.MoveNext();
                if (shape is not null && FileShapes.HoldsValue(key.Value))
                {
                    // A key's length bounds where a reader still finds its ':' (1,024 characters on): with the values in
                    // place the key is longer, so its shape must leave room.
                    if (parser.Current!.Start.Index - key.Start.Index > FileShapes.KeyRoom) shape.Unfit();
                    keys.WithValues.Add(key);
                    return null;
                }
                if (!keys.Text.Add(key.Value)) throw new SemanticErrorException(key.Start, key.End, "Duplicate key");
                return key.Value;
            }
            Node();
            return null;
        }

        /// <summary>A node's anchor, noted. Walking a shape, a value in an anchor, alias or tag makes the shape unfit (the
        /// placeholder would name it, not the value), as does a phrase in a scalar.</summary>
        private void Properties(NodeEvent node)
        {
            _aliases.Anchor(node.Anchor);
            if (shape is null) return;
            if (FileShapes.HoldsValue(node.Anchor) || FileShapes.HoldsValue(node.Tag) || (node is Scalar scalar && FileShapes.HoldsPhrase(scalar.Value))) shape.Unfit();
        }

        /// <summary>Passes over one node, checking what a reader would refuse: a key twice in a mapping, an alias without anchor.</summary>
        private void Node()
        {
            switch (parser.Current)
            {
                case AnchorAlias alias:
                    _aliases.Use(alias);
                    if (shape is not null && FileShapes.HoldsValue(alias.Value)) shape.Unfit();
                    parser.MoveNext();
                    return;
                case Scalar scalar:
                    Properties(scalar);
                    parser.MoveNext();
                    return;
                case SequenceStart sequence:
                    Properties(sequence);
                    parser.MoveNext();
                    while (!parser.TryConsume<SequenceEnd>()) Node();
                    return;
                case MappingStart mapping:
                    Properties(mapping);
                    parser.MoveNext();
                    var keys = Enter();
                    while (!parser.TryConsume<MappingEnd>())
                    {
                        Key(keys);
                        Node();
                    }
                    Exit(keys);
                    return;
                default:
                    throw new SemanticErrorException(parser.Current!.Start, parser.Current.End, $"unexpected {parser.Current.GetType().Name}");
            }
        }
    }

    /// <summary>A document's anchors and aliases: an alias must name an anchor of its document.</summary>
    private sealed class Aliases
    {
        private readonly HashSet<string> _anchors = new(StringComparer.Ordinal);
        private readonly List<AnchorAlias> _used = [];

        public void Anchor(string? name)
        {
            if (!string.IsNullOrEmpty(name)) _anchors.Add(name);
        }

        public void Use(AnchorAlias alias) => _used.Add(alias);

        public void Check()
        {
            if (_used.FirstOrDefault(a => !_anchors.Contains(a.Value)) is { } missing)
            {
                throw new SemanticErrorException(missing.Start, missing.End, $"Anchor '{missing.Value}' not found");
            }
        }

        /// <summary>A new document: anchors do not carry over from the one before.</summary>
        public void Clear()
        {
            _anchors.Clear();
            _used.Clear();
        }
    }

    private static void VerifyPatch(string path, string content, Func<long, SourceLocation> at, DiagnosticBag diagnostics)
    {
        try
        {
            using var json = JsonDocument.Parse(content);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                // A merge patch: the partial object, named as its target.
                var root = json.RootElement;
                var named = root.TryGetProperty("apiVersion", out _) && root.TryGetProperty("kind", out _)
                    && root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("name", out _);
                if (!named) diagnostics.Add(DiagnosticCatalog.RenderedObjectInvalid(at(1), path, "a merge patch must name its target: apiVersion, kind and metadata.name"));
                return;
            }
            if (json.RootElement.ValueKind != JsonValueKind.Array)
            {
                diagnostics.Add(DiagnosticCatalog.RenderedObjectInvalid(at(0), path, "a patch must be an RFC 6902 array of operations or a merge patch object"));
                return;
            }
            foreach (var op in json.RootElement.EnumerateArray())
            {
                var ok = op.ValueKind == JsonValueKind.Object
                    && op.TryGetProperty("op", out var name) && Ops.Contains(name.GetString() ?? "")
                    && op.TryGetProperty("path", out var p) && p.GetString() is { } pointer && (pointer.Length == 0 || pointer.StartsWith('/'))
                    && (name.GetString() is "remove" || op.TryGetProperty("value", out _) || op.TryGetProperty("from", out _));
                if (!ok)
                {
                    diagnostics.Add(DiagnosticCatalog.RenderedObjectInvalid(at(0), path, $"not an RFC 6902 operation: {op.GetRawText()}"));
                }
            }
        }
        catch (JsonException e)
        {
            diagnostics.Add(DiagnosticCatalog.RenderedYamlInvalid(at((e.LineNumber ?? -1) + 1), path, e.Message));
        }
    }
}
