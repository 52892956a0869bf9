using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Kubernetes;

/// <summary>
/// A kustomization's `replacements` (Kustomize's api/filters/replacement): a value read from one object (the source, which
/// its group, version, kind, name and namespace must select alone) written into fields of others (the targets, selected
/// and rejected by the same and by label and annotation selectors). Field paths are Kustomize's: `.`-separated; a key
/// with dots in brackets or escaped (`[config.linkerd.io/proxy-cpu]`, `config\.linkerd\.io/proxy-cpu`); a list item by
/// index, by `[name=web]` or every item by `*`. `delimiter` and `index` read or write one part of a text; `create` makes
/// a field that is missing. A scalar written over a scalar keeps the target's type, as Kustomize copies only the text.
/// </summary>
internal static partial class Replacements
{
    private const string DefaultFieldPath = "metadata.name";

    /// <summary>Applies the kustomization's replacements in order; what Kustomize refuses (a source that selects nothing
    /// or several objects, a field that is not there) is an error finding, and that replacement is skipped.</summary>
    public static void Apply(string dir, string file, JsonObject k, List<JsonObject> objects, Origins origins,
        List<Kustomization.Finding> findings)
    {
        foreach (var entry in (k["replacements"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var replacement in Entries(dir, file, entry, findings))
            {
                try
                {
                    Replace(replacement, objects, origins);
                }
                catch (RefusedException e)
                {
                    findings.Add(new Kustomization.Finding(file, $"has a replacement Kustomize refuses: {e.Message}", true));
                }
            }
        }
    }

    /// <summary>An entry is a replacement, or `path:` a file of one replacement or of a list of them.</summary>
    private static IEnumerable<JsonObject> Entries(string dir, string file, JsonObject entry, List<Kustomization.Finding> findings)
    {
        if (entry["path"]?.ToString() is not { } path) return [entry];
        var full = Path.Combine(dir, path);
        if (!File.Exists(full))
        {
            findings.Add(new Kustomization.Finding(file, $"names the replacement file {path}, which is not there", true));
            return [];
        }
        if (Kustomization.ReadText(full, findings) is not { } text) return [];
        return Kustomization.Parse(text, full, findings) switch
        {
            JsonArray list => list.OfType<JsonObject>().ToList(),
            JsonObject one => [one],
            _ => [],
        };
    }

    private static void Replace(JsonObject replacement, List<JsonObject> objects, Origins origins)
    {
        if (replacement["source"] is not JsonObject source || replacement["targets"] is not JsonArray targets)
            throw new RefusedException("replacements must specify a source and at least one target");
        var sources = objects.Where(o => Selects(source, o, origins)).Take(2).ToList();
        if (sources.Count != 1) throw new RefusedException($"{(sources.Count == 0 ? "nothing" : "more than one object")} is selected by the source {Describe(source)}");
        var fieldPath = source["fieldPath"]?.ToString() is { Length: > 0 } p ? p : DefaultFieldPath;
        var value = ValueAt(sources[0], fieldPath);
        if (value is null or JsonObject { Count: 0 } or JsonArray { Count: 0 })
            throw new RefusedException($"the fieldPath `{fieldPath}` is missing from the source {Describe(source)}");
        value = Refined(source["options"] as JsonObject, value);

        foreach (var target in targets.OfType<JsonObject>())
        {
            if (target["select"] is not JsonObject select) throw new RefusedException("a target must specify the objects to select");
            var rejects = (target["reject"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var fieldPaths = Kustomization.Strings(target["fieldPaths"]).DefaultIfEmpty(DefaultFieldPath).ToList();
            var options = target["options"] as JsonObject;
            foreach (var o in objects)
            {
                if (!ByLabels(select, o) || rejects.Any(r => HasSelectors(r) && ByLabels(r, o))) continue;
                if (!Selects(select, o, origins) || rejects.Any(r => HasId(r) && Selects(r, o, origins))) continue;
                foreach (var path in fieldPaths)
                {
                    var slots = Slots(o, Split(path), options?["create"]?.ToString() == "true").ToList();
                    if (slots.Count == 0) throw new RefusedException($"the field `{path}` is not in the target {o["kind"]} {Kustomization.Name(o)}");
                    foreach (var slot in slots) slot.Value = Written(options, slot.Value, value);
                }
            }
        }
    }

    /// <summary>The source's value, or one part of its text (delimiter and index).</summary>
    private static JsonNode Refined(JsonObject? options, JsonNode value)
    {
        if (options?["delimiter"]?.ToString() is not { Length: > 0 } delimiter) return value;
        if (value is not JsonValue) throw new RefusedException("the delimiter option can only be used with scalar values");
        var parts = JsonScalar.Text(value).Split(delimiter);
        var index = Index(options);
        if (index < 0 || index >= parts.Length) throw new RefusedException($"options.index {index} is out of bounds for the value {JsonScalar.Text(value)}");
        return JsonValue.Create(parts[index]);
    }

    /// <summary>What a target field holds once the value is written: the value; one part of the target's text replaced (or a
    /// part put before or after, for an index out of its bounds); a scalar's text in a scalar, typed as the target was.</summary>
    private static JsonNode? Written(JsonObject? options, JsonNode? target, JsonNode value)
    {
        var text = value is JsonValue ? JsonScalar.Text(value) : null;
        if (options?["delimiter"]?.ToString() is { Length: > 0 } delimiter)
        {
            if (target is not JsonValue) throw new RefusedException("the delimiter option can only be used with scalar values");
            var parts = JsonScalar.Text(target).Split(delimiter).ToList();
            var index = Index(options);
            if (index < 0) parts.Insert(0, text ?? "");
            else if (index >= parts.Count) parts.Add(text ?? "");
            else parts[index] = text ?? "";
            text = string.Join(delimiter, parts);
        }
        if (target is not JsonValue scalar) return value.DeepClone();
        text ??= "";
        return scalar.GetValueKind() switch
        {
            JsonValueKind.Number when JsonNumber().IsMatch(text) => JsonNode.Parse(text),
            JsonValueKind.True or JsonValueKind.False when text is "true" or "false" => JsonValue.Create(text == "true"),
            _ => JsonValue.Create(text),
        };
    }

    private static int Index(JsonObject options) => int.TryParse(options["index"]?.ToString(), out var index) ? index : 0;

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex JsonNumber();

    /// <summary>Kustomize's IsSelectedBy, for any id the object has had: each of group, version, kind, name and namespace
    /// given must equal the object's (a name together with a namespace it had at some step of the build; no namespace is
    /// the namespace `default`).</summary>
    private static bool Selects(JsonObject selector, JsonObject o, Origins origins)
    {
        string? Given(string field) => selector[field]?.ToString() is { Length: > 0 } text ? text : null;
        var (group, version) = ApiVersion.Split(o["apiVersion"]?.ToString() ?? "");
        return (Given("group") is not { } g || g == group) && (Given("version") is not { } v || v == version)
            && (Given("kind") is not { } kind || kind == o["kind"]?.ToString()) && origins.Had(o, Given("name"), Given("namespace"));
    }

    /// <summary>The fields of an object's id a selector may give.</summary>
    private static readonly string[] IdFields = ["group", "version", "kind", "name", "namespace"];

    private static bool HasId(JsonObject selector) => IdFields.Any(f => selector[f]?.ToString() is { Length: > 0 });

    private static bool HasSelectors(JsonObject selector) => selector["labelSelector"] is not null || selector["annotationSelector"] is not null;

    /// <summary>The selector's labelSelector and annotationSelector (those given) match the object's labels and annotations.</summary>
    private static bool ByLabels(JsonObject selector, JsonObject o)
    {
        bool Matches(string field, string map)
        {
            if (selector[field]?.ToString() is not { } text) return true;
            var parsed = LabelSelector.Parse(text, out var wrong) ?? throw new RefusedException($"the {field} {text}: {wrong}");
            return parsed.Matches(o["metadata"].Field(map));
        }
        return Matches("labelSelector", "labels") && Matches("annotationSelector", "annotations");
    }

    private static string Describe(JsonObject selector) =>
        string.Join(", ", IdFields.Where(f => selector[f] is not null).Select(f => $"{f} {selector[f]}"));

    /// <summary>The value at a field path (the first, where the path selects several), or null.</summary>
    internal static JsonNode? ValueAt(JsonObject o, string fieldPath) => Slots(o, Split(fieldPath), create: false).Select(s => s.Value).FirstOrDefault();

    /// <summary>Kustomize's path splitter: on `.`, but not within brackets nor where escaped as `\.`.</summary>
    internal static List<string> Split(string path)
    {
        var parts = new List<string>();
        var part = new StringBuilder();
        var depth = 0;
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '\\' && i + 1 < path.Length && path[i + 1] == '.') part.Append(path[++i]);
            else if (c == '.' && depth == 0)
            {
                parts.Add(part.ToString());
                part.Clear();
            }
            else
            {
                depth += c == '[' ? 1 : c == ']' ? -1 : 0;
                part.Append(c);
            }
        }
        parts.Add(part.ToString());
        return parts;
    }

    /// <summary>A place in an object a path leads to: a map's key or a list's item.</summary>
    private sealed class Slot(JsonNode parent, string key, int index)
    {
        public JsonNode? Value
        {
            get => parent is JsonObject map ? map[key] : ((JsonArray)parent)[index];
            set
            {
                if (parent is JsonObject map) map[key] = value;
                else ((JsonArray)parent)[index] = value;
            }
        }
    }

    /// <summary>Every place the path leads to from <paramref name="node"/>; with <paramref name="create"/>, a missing map
    /// (or list, before an item step) is made, and a missing `[key=value]` item added.</summary>
    private static IEnumerable<Slot> Slots(JsonNode node, List<string> path, bool create, int step = 0)
    {
        var segment = path[step];
        var last = step == path.Count - 1;
        IEnumerable<Slot> Next(Slot slot)
        {
            if (last) return [slot];
            if (slot.Value is null && create) slot.Value = IsItemStep(path[step + 1]) ? new JsonArray() : new JsonObject();
            return slot.Value is { } child ? Slots(child, path, create, step + 1) : [];
        }
        if (node is JsonArray list)
        {
            if (segment == "*") return Enumerable.Range(0, list.Count).SelectMany(i => Next(new Slot(list, "", i))).ToList();
            if (int.TryParse(segment, out var index)) return index >= 0 && index < list.Count ? Next(new Slot(list, "", index)) : [];
            if (ItemSelector(segment) is not var (key, wanted)) return [];
            var matching = Enumerable.Range(0, list.Count).Where(i => list[i] is JsonObject item && item[key] is JsonValue v && JsonScalar.Text(v) == wanted).ToList();
            if (matching.Count == 0 && create)
            {
                list.Add((JsonNode)new JsonObject { [key] = wanted });
                matching.Add(list.Count - 1);
            }
            return matching.SelectMany(i => Next(new Slot(list, "", i))).ToList();
        }
        if (node is not JsonObject map) return [];
        var name = segment.StartsWith('[') && segment.EndsWith(']') && !segment.Contains('=') ? segment[1..^1] : segment;
        if (!map.ContainsKey(name) && !create) return [];
        return Next(new Slot(map, name, -1));
    }

    private static bool IsItemStep(string segment) => segment == "*" || int.TryParse(segment, out _) || ItemSelector(segment) is not null;

    /// <summary>`[name=web]`: the key and the value a list item is chosen by.</summary>
    private static (string Key, string Value)? ItemSelector(string segment) =>
        segment.StartsWith('[') && segment.EndsWith(']') && segment.IndexOf('=') is > 1 and var equals
            ? (segment[1..equals], segment[(equals + 1)..^1])
            : null;

    private sealed class RefusedException(string message) : Exception(message);
}
