using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.Json;
using Json.Schema;
using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Model;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Validate;

/// <summary>
/// The input JSON Schema (schemas/mesh.schema.json, embedded) applied with JsonSchema.Net; each failing
/// keyword becomes one located diagnostic with a message written for people, not for schema authors.
/// </summary>
public static class MeshSchema
{
    // First of the static state: JsonSchema.Net's own set-up (its vocabularies, dialects and meta-schemas), done before
    // anything here builds a schema. The library does it in a module initializer, which the NativeAOT binary runs before
    // Main on every start (20 ms of `--version`); there it is removed (JsonSchemaStartup.Substitutions.xml) and runs here,
    // on the core that prepares the schema while the mesh files are read. Where the initializer did run, this does nothing.
    // (A test holds MeshSchema to being the one type that uses the library.)
    private static readonly bool LibraryReady = InitializeLibrary();

    private static bool InitializeLibrary()
    {
        InitializeJsonSchemaNet(null);
        return true;
    }

    [UnsafeAccessor(UnsafeAccessorKind.StaticMethod, Name = "Initialize")]
    private static extern void InitializeJsonSchemaNet([UnsafeAccessorType("Json.Schema.__ModuleInitialization, JsonSchema.Net")] object? type);

    public static string Text { get; } = ReadEmbedded();

    private static readonly JsonObject Root = JsonNode.Parse(Text)!.AsObject();
    /// <summary>The whole schema: built only when a file fails, for its list of findings.</summary>
    private static readonly Lazy<JsonSchema> Whole = new(() => Build(Text));

    // The yes/no check of a file, in parts that run on every core: the file with its namespaces' items taken as valid,
    // and each namespace item by the items' schema (with the $defs it refers to). The parts read every value once and
    // agree with the whole schema: nothing in it looks into a namespace but `items` (a test holds them to that).
    private static readonly JsonSchema OutlineSchema = Build(Edited(root => root["properties"]!["namespaces"]!["items"] = true, "outline"));
    private static readonly JsonSchema NamespaceSchema = Build(new JsonObject
    {
        ["$schema"] = Root["$schema"]!.DeepClone(),
        // $id before $defs: written after them, building the parts fails in JsonSchema.Net ("Overwriting registered
        // schemas is not permitted"), as if the $defs were registered before the part had its own address.
        ["$id"] = "https://linkerd2gen.io/schemas/mesh.schema.json/namespace",
        ["$defs"] = Root["$defs"]!.DeepClone(),
        ["allOf"] = new JsonArray(Root["properties"]!["namespaces"]!["items"]!.DeepClone()),
    }.ToJsonString());

    private static JsonSchema Build(string text) => JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    /// <summary>The schema's text with one change and an $id of its own.</summary>
    private static string Edited(Action<JsonObject> edit, string part)
    {
        var copy = Root.DeepClone().AsObject();
        edit(copy);
        copy["$id"] = $"https://linkerd2gen.io/schemas/mesh.schema.json/{part}";
        return copy.ToJsonString();
    }

    /// <summary>Builds the schemas now (their static state), so that a first <see cref="Check"/> does not wait for them.</summary>
    public static void Prepare() => _ = NamespaceSchema;

    /// <summary>The schema's yes/no answer for one file, worked out part by part on the other cores: each item of
    /// `namespaces` as soon as the loader hands it on (<see cref="Namespace"/>), while the rest of the file is still read;
    /// then the file with those items taken as valid (<see cref="Finish"/>).</summary>
    public sealed class Check
    {
        private readonly List<Task<bool>> _parts = [];

        /// <summary>Starts the check of one item of `namespaces`, from its JSON alone.</summary>
        public void Namespace(ReadOnlyMemory<byte> item) => _parts.Add(Task.Run(() =>
        {
            using var json = JsonDocument.Parse(item);
            return NamespaceSchema.Evaluate(json.RootElement, Flag).IsValid;
        }));

        /// <summary>Starts the check of the rest of the file (<paramref name="document"/>, read whole); the answer of all
        /// the parts.</summary>
        public async Task<bool> Finish(JsonElement document)
        {
            _parts.Add(Task.Run(() => OutlineSchema.Evaluate(document, Flag).IsValid));
            return (await Task.WhenAll(_parts)).All(ok => ok);
        }
    }

    /// <summary>A yes/no evaluation: it stops at the first failure and collects nothing.</summary>
    private static EvaluationOptions Flag => new() { OutputFormat = OutputFormat.Flag };

    /// <summary>The yes/no answer of the schema as one (what <see cref="Check"/> must agree with).</summary>
    internal static bool IsValidAsOne(JsonElement document) => Whole.Value.Evaluate(document, Flag).IsValid;

    private static string ReadEmbedded()
    {
        using var stream = typeof(MeshSchema).Assembly.GetManifestResourceStream("schemas/mesh.schema.json")
            ?? throw new InvalidOperationException("schemas/mesh.schema.json is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The findings of a file whose yes/no answer (<see cref="Check"/>) is known.</summary>
    public static void Report(JsonElement json, SourceMap map, DiagnosticBag diagnostics, bool isValid)
    {
        // A valid file (the common case) needs only the yes/no answer, which stops at nothing and collects nothing;
        // the full list of findings is collected only for a file that fails.
        if (isValid && !map.NonFinite.Any())
        {
            return;
        }
        // Findings are described from the document's nodes (what a value is, what its siblings say).
        var document = JsonNode.Parse(json.GetRawText())!;
        var results = Whole.Value.Evaluate(json, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (results.Details ?? [])
            .Where(detail => !detail.IsValid && detail.Errors is not null)
            .SelectMany(detail => detail.Errors!.Select(e => (Pointer: detail.InstanceLocation.ToString(), Keyword: e.Key.Length > 0 ? e.Key
                // A `false` sub-schema reports no keyword of its own: name it by where it sits.
                : detail.EvaluationPath.ToString().EndsWith("/additionalProperties", StringComparison.Ordinal) ? "unknownProperty" : "false", Message: e.Value)))
            .ToList();
        // One finding per value: a value of the wrong type fails its enum and pattern too, and that says nothing more.
        // A oneOf reports each branch's failure: a value of one branch's type is judged by that branch alone.
        errors = errors.Where(e => !(e.Keyword is "type" or "oneOf") || !OneOfMatched(e.Pointer, document)).ToList();
        errors = errors.GroupBy(e => (e.Pointer, e.Keyword)).Select(g => g.First()).ToList();
        var mistyped = errors.Where(e => e.Keyword == "type").Select(e => e.Pointer).ToHashSet(StringComparer.Ordinal);
        foreach (var (pointer, keyword, message) in errors)
        {
            if (keyword != "type" && mistyped.Contains(pointer)) continue;
            if (Describe(keyword, message, pointer, document, map) is { } d)
            {
                diagnostics.Add(d);
            }
        }
        // .inf, .nan and 1e400 are numbers JSON cannot hold: where the schema took them for text, they still are no text.
        foreach (var pointer in map.NonFinite.Where(p => !mistyped.Contains(p)))
        {
            var text = JsonScalar.Text(Find(document, Segments(pointer))!);
            diagnostics.Add(DiagnosticCatalog.WrongType(map.Value(pointer), FieldName(Segments(pointer)), "text or a finite number", $"the number {text} (not finite)",
                $"quote it: \"{text}\" — unquoted, YAML reads it as a float"));
        }
    }

    private static Diagnostic? Describe(string keyword, string libraryMessage, string pointer, JsonNode document, SourceMap map)
    {
        var segments = Segments(pointer);
        var value = Find(document, segments);
        var schema = SchemaAt(segments);
        var field = FieldName(segments);
        var at = map.Value(pointer);
        var description = schema?["description"]?.GetValue<string>();
        switch (keyword)
        {
            case "unknownProperty":
            {
                // JsonSchema.Net reports additionalProperties: false at the unknown property itself.
                var parent = segments.Take(segments.Count - 1).ToList();
                var allowed = (SchemaAt(parent)?["properties"] as JsonObject)?.Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal).ToList() ?? [];
                var where = parent.Count == 0 ? "the document" : $"'{FieldName(parent)}'";
                var key = segments[^1];
                return DiagnosticCatalog.UnknownField(map.Key(pointer), key, where, DidYouMean.Suggest(key, allowed), allowed);
            }
            case "required":
            {
                var required = schema?["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [];
                var present = (value as JsonObject)?.Select(p => p.Key).ToHashSet() ?? [];
                var missing = required.FirstOrDefault(r => !present.Contains(r)) ?? "?";
                var where = segments.Count == 0 ? "the document" : $"'{field}'";
                var missingDescription = schema?["properties"]?[missing]?["description"]?.GetValue<string>();
                return DiagnosticCatalog.MissingField(at, missing, where, missingDescription);
            }
            case "type":
            {
                var types = Types(RawSchemaAt(segments) ?? schema);
                var expected = types.Count > 0 ? string.Join(" or ", types.Select(Article)) : "of another type";
                string? hint = description;
                if (expected.Contains("string") && value is JsonValue && value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                {
                    hint = $"quote it: \"{value.ToJsonString()}\" — unquoted, YAML reads it as a {(value.GetValueKind() == JsonValueKind.Number ? "number" : "boolean")}";
                    if (value.GetValueKind() == JsonValueKind.Number && segments[^1] == "version")
                    {
                        var number = double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);
                        hint = $"quote the version: version: \"{value.ToJsonString()}\" — unquoted, YAML reads it as the number {number}";
                    }
                }
                var found = map.IsNonFinite(pointer) ? $"the number {JsonScalar.Text(value!)} (not finite)" : Kind(value);
                return DiagnosticCatalog.WrongType(at, field, expected, found, hint);
            }
            case "enum":
            case "const":
            {
                var allowed = (schema?["enum"]?.AsArray() ?? (schema?["const"] is { } c ? [c.DeepClone()] : []))
                    .Select(v => JsonScalar.Text(v!)).ToList();
                var shown = value is null ? "null" : value.ToJsonString();
                if (pointer == "/linkerd/version" && value?.GetValueKind() == JsonValueKind.String)
                {
                    // No did-you-mean here: the nearest name of an unknown version is an older one, never the right one.
                    return DiagnosticCatalog.UnsupportedLinkerdVersion(at, value.GetValue<string>(), allowed[0], allowed[^1]);
                }
                var suggestion = value?.GetValueKind() == JsonValueKind.String ? DidYouMean.Suggest(value.GetValue<string>(), allowed) : null;
                return DiagnosticCatalog.NotAllowedValue(at, field, shown, allowed, suggestion);
            }
            case "pattern":
                return DiagnosticCatalog.PatternMismatch(at, field, value?.ToJsonString() ?? "null", description);
            case "minimum":
            case "maximum":
            case "exclusiveMinimum":
            case "exclusiveMaximum":
            {
                var min = schema?["minimum"]?.ToJsonString();
                var max = schema?["maximum"]?.ToJsonString();
                var range = (min, max) switch
                {
                    (not null, not null) => $"{min} to {max}",
                    (not null, null) => $"{min} or more",
                    (null, not null) => $"at most {max}",
                    _ => libraryMessage,
                };
                return DiagnosticCatalog.OutOfRange(at, field, value?.ToJsonString() ?? "null", range);
            }
            case "minLength":
                return DiagnosticCatalog.WrongLength(at, field, "must not be empty", description);
            case "maxLength":
                return DiagnosticCatalog.WrongLength(at, field, $"is longer than {schema?["maxLength"]} characters", description);
            case "minItems":
                return DiagnosticCatalog.WrongLength(at, field, $"needs at least {schema?["minItems"]} item(s)", description);
            case "uniqueItems":
                return DiagnosticCatalog.WrongLength(at, field, "lists the same item twice", description);
            case "minProperties":
            case "maxProperties":
                return DiagnosticCatalog.WrongLength(at, field, "must hold exactly one of: " + string.Join(", ", (schema?["properties"] as JsonObject)?.Select(p => p.Key) ?? []), description);
            default:
                return DiagnosticCatalog.SchemaOther(at, field, libraryMessage);
        }
    }

    private static string Article(string type) => type switch
    {
        "integer" => "an integer",
        "object" => "a mapping",
        "array" => "a list",
        "string" => "a string",
        "number" => "a number",
        "boolean" => "true or false",
        _ => type,
    };

    private static string Kind(JsonNode? value) => value?.GetValueKind() switch
    {
        null => "nothing (null)",
        JsonValueKind.Object => "a mapping",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"the string {value.ToJsonString()}",
        JsonValueKind.Number => $"the number {value.ToJsonString()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.ToJsonString()}",
        _ => "a value of another type",
    };

    internal static List<string> Segments(string pointer) =>
        pointer.Length == 0 ? [] : pointer[1..].Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToList();

    private static string FieldName(IReadOnlyList<string> segments)
    {
        // "namespaces[0].services[1].ports[0].name" reads better than a pointer.
        var parts = new List<string>();
        foreach (var s in segments)
        {
            if (int.TryParse(s, out _) && parts.Count > 0) parts[^1] += $"[{s}]";
            else parts.Add(s);
        }
        return parts.Count == 0 ? "the document" : string.Join(".", parts);
    }

    private static JsonNode? Find(JsonNode? node, IEnumerable<string> segments)
    {
        foreach (var s in segments)
        {
            node = node switch
            {
                JsonObject o => o[s],
                JsonArray a when int.TryParse(s, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }
        return node;
    }

    /// <summary>The sub-schema that governs the value at the instance path (our schema only: properties, items, $ref).</summary>
    internal static JsonObject? SchemaAt(IEnumerable<string> segments)
    {
        JsonObject? schema = Deref(Root);
        foreach (var s in segments)
        {
            if (schema is null) return null;
            schema = schema["properties"]?[s] is JsonObject p ? Deref(p)
                : schema["items"] is JsonObject items && int.TryParse(s, out _) ? Deref(items)
                : schema["additionalProperties"] is JsonObject ap ? Deref(ap)
                : null;
        }
        return schema;
    }

    /// <summary>A $ref followed; of a oneOf, the branch a mapping takes (the only branches with fields of their own).</summary>
    private static JsonObject? Deref(JsonObject schema)
    {
        var target = schema["$ref"]?.GetValue<string>() is { } r && r.StartsWith("#/$defs/", StringComparison.Ordinal)
            ? Root["$defs"]?[r["#/$defs/".Length..]] as JsonObject
            : schema;
        return target?["oneOf"] is JsonArray branches && branches.OfType<JsonObject>().FirstOrDefault(b => b["type"]?.ToString() == "object") is { } mapping
            ? new JsonObject(target.Where(p => p.Key != "oneOf").Concat(mapping).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())))
            : target;
    }

    /// <summary>Whether the value at a oneOf's pointer has the type of one of its branches.</summary>
    private static bool OneOfMatched(string pointer, JsonNode document)
    {
        var segments = Segments(pointer);
        var raw = RawSchemaAt(segments);
        if (raw?["oneOf"] is not JsonArray) return false;
        var kind = Find(document, segments)?.GetValueKind() switch
        {
            JsonValueKind.Object => "object", JsonValueKind.Array => "array", JsonValueKind.String => "string",
            JsonValueKind.Number => "number", JsonValueKind.True or JsonValueKind.False => "boolean", _ => "null",
        };
        return Types(raw).Contains(kind) || (kind == "number" && Types(raw).Contains("integer"));
    }

    /// <summary>The schema at a pointer, its oneOf kept.</summary>
    private static JsonObject? RawSchemaAt(IReadOnlyList<string> segments)
    {
        var parent = segments.Count == 0 ? null : SchemaAt(segments.Take(segments.Count - 1));
        var node = segments.Count == 0 ? Root : parent?["properties"]?[segments[^1]] as JsonObject ?? parent?["additionalProperties"] as JsonObject;
        return node?["$ref"] is not null ? (Root["$defs"]?[node["$ref"]!.GetValue<string>()["#/$defs/".Length..]] as JsonObject) : node;
    }

    /// <summary>The JSON types a schema (or its oneOf branches) takes.</summary>
    private static IReadOnlyList<string> Types(JsonObject? schema) =>
        schema?["oneOf"] is JsonArray branches
            ? branches.OfType<JsonObject>().SelectMany(b => Types(b)).Distinct().ToList()
            : schema?["type"] switch
            {
                JsonArray types => types.Select(t => t!.GetValue<string>()).ToList(),
                JsonValue type => [type.GetValue<string>()],
                _ => [],
            };

    /// <summary>
    /// Turns 2.0 into 2 where the schema wants an integer (JSON Schema counts 2.0 as one; .NET's int does not),
    /// leaving every other number as written (an env value 1.0 stays "1.0").
    /// </summary>
    public static JsonNode? CoerceIntegers(JsonNode? node) => CoerceIntegers(node, []);

    private static JsonNode? CoerceIntegers(JsonNode? node, List<string> path)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    path.Add(key);
                    if (o[key] is JsonValue v && IsIntegralFloat(v) && SchemaAt(path)?["type"]?.ToString() == "integer")
                        o[key] = JsonValue.Create((long)v.GetValue<double>());
                    else
                        CoerceIntegers(o[key], path);
                    path.RemoveAt(path.Count - 1);
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    path.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    if (a[i] is JsonValue v && IsIntegralFloat(v) && SchemaAt(path)?["type"]?.ToString() == "integer")
                        a[i] = JsonValue.Create((long)v.GetValue<double>());
                    else
                        CoerceIntegers(a[i], path);
                    path.RemoveAt(path.Count - 1);
                }
                break;
        }
        return node;
    }

    private static bool IsIntegralFloat(JsonValue v) =>
        v.GetValueKind() == JsonValueKind.Number && v.ToJsonString().Contains('.') && v.GetValue<double>() is var d && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue;

    public static IReadOnlyList<string> PropertiesOf(params string[] segments) =>
        (SchemaAt(segments)?["properties"] as JsonObject)?.Select(p => p.Key).ToList() ?? [];
}
