using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Kubernetes;

/// <summary>
/// Kustomize's configMapGenerator and secretGenerator (with generatorOptions): ConfigMaps and Secrets made from literals
/// (`key=value`), files (`path` or `key=path`, below the kustomization's folder) and env files (`KEY=value` lines), made
/// anew or merged into (or replacing) one a resource made. Their names take a hash of their content as the whole build's
/// last step, and the fields that name them follow (<see cref="NameReferences"/>). A line of an env file without `=`
/// takes an empty value here, where Kustomize would read the variable from its own environment: a bundle does not depend
/// on where it is built.
/// </summary>
internal static class Generators
{
    /// <summary>Marks an object whose name takes its content's hash at the end of the build; removed then.</summary>
    private const string NeedsHash = "kustomize.config.k8s.io/needs-hash";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Adds one kustomization's generated objects to <paramref name="objects"/>, or merges them into the object of
    /// that kind and (first) name a resource made.</summary>
    public static void Generate(string dir, string file, JsonObject k, List<JsonObject> objects, Origins origins,
        List<Kustomization.Finding> findings)
    {
        var options = k["generatorOptions"] as JsonObject;
        foreach (var (field, kind) in new[] { ("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret") })
        {
            foreach (var entry in (k[field] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (entry["name"]?.ToString() is not { Length: > 0 } name)
                {
                    findings.Add(new(file, $"has a {field} entry without a name", true));
                    continue;
                }
                var data = Sources(dir, file, entry, findings);
                if (data is null) continue;
                var generated = Make(kind, name, entry, options, data);
                var behavior = entry["behavior"]?.ToString() ?? "create";
                if (behavior is "merge" or "replace")
                {
                    var i = objects.FindIndex(o => o["kind"]?.ToString() == kind && origins.First(o) == name
                        && (entry["namespace"] is not { } ns || ns.ToString() == o["metadata"].Field("namespace")?.ToString()));
                    if (i < 0) findings.Add(new(file, $"has a {field} entry that {behavior}s {kind} {name}, which no resource makes", true));
                    else
                    {
                        // The merged object keeps the names the resource's had: later patches still find it by them.
                        Kustomization.Become(objects[i], Merge(objects[i], generated, replace: behavior == "replace"));
                    }
                    continue;
                }
                objects.Add(generated);
            }
        }
    }

    /// <summary>The generated objects' names, each with its content's hash (the build's last step). Returns whether any was renamed.</summary>
    public static bool Hash(List<JsonObject> objects)
    {
        var renamed = false;
        foreach (var o in objects)
        {
            if (o["metadata"].Field("annotations") is not JsonObject annotations || !annotations.Remove(NeedsHash)) continue;
            if (annotations.Count == 0) ((JsonObject)o["metadata"]!).Remove("annotations");
            o["metadata"]!["name"] = $"{Kustomization.Name(o)}-{ContentHash(o)}";
            renamed = true;
        }
        return renamed;
    }

    /// <summary>Key and bytes of each source, in the order written; null when one cannot be read (reported).</summary>
    private static List<(string Key, byte[] Value)>? Sources(string dir, string file, JsonObject entry, List<Kustomization.Finding> findings)
    {
        var data = new List<(string, byte[])>();
        foreach (var literal in Kustomization.Strings(entry["literals"]))
        {
            var eq = literal.IndexOf('=');
            if (eq <= 0)
            {
                findings.Add(new(file, $"has the literal '{literal}', which is no key=value", true));
                return null;
            }
            data.Add((literal[..eq], Encoding.UTF8.GetBytes(Unquoted(literal[(eq + 1)..]))));
        }
        foreach (var source in Kustomization.Strings(entry["files"]))
        {
            var eq = source.IndexOf('=');
            var (key, path) = eq > 0 ? (source[..eq], source[(eq + 1)..]) : (Path.GetFileName(source), source);
            if (Within(dir, file, path, findings) is not { } full) return null;
            if (Kustomization.ReadBytes(full, findings) is not { } bytes) return null;
            data.Add((key, bytes));
        }
        foreach (var env in Kustomization.Strings(entry["envs"]).Concat(Kustomization.Strings(entry["env"])))
        {
            if (Within(dir, file, env, findings) is not { } full) return null;
            if (Kustomization.ReadText(full, findings) is not { } text) return null;
            foreach (var raw in text.TrimStart('\uFEFF').Split('\n'))
            {
                var line = raw.TrimEnd('\r').TrimStart();
                if (line.Length == 0 || line.StartsWith('#')) continue;
                var eq = line.IndexOf('=');
                data.Add(eq < 0 ? (line, []) : (line[..eq], Encoding.UTF8.GetBytes(line[(eq + 1)..])));
            }
        }
        return data;
    }

    /// <summary>A literal's value without the quotes around it (`A="x y"`), as Kustomize reads it.</summary>
    private static string Unquoted(string value) =>
        value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0] ? value[1..^1] : value;

    /// <summary>A file of the kustomization's folder: Kustomize reads none outside it (nor one that is not there).</summary>
    private static string? Within(string dir, string file, string path, List<Kustomization.Finding> findings)
    {
        var full = Path.GetFullPath(Path.Combine(dir, path));
        if (!full.StartsWith(Path.TrimEndingDirectorySeparator(dir) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            findings.Add(new(file, $"generates from {path}, which is outside the kustomization's folder (Kustomize refuses it)", true));
            return null;
        }
        if (!File.Exists(full))
        {
            findings.Add(new(file, $"generates from {path}, which is not there", true));
            return null;
        }
        return full;
    }

    private static JsonObject Make(string kind, string name, JsonObject entry, JsonObject? options, List<(string Key, byte[] Value)> data)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (entry["namespace"]?.ToString() is { Length: > 0 } ns) metadata["namespace"] = ns;
        var own = entry["options"] as JsonObject;
        foreach (var map in new[] { "labels", "annotations" })
        {
            var pairs = (options?[map] as JsonObject ?? []).Concat(own?[map] as JsonObject ?? []).ToList();
            if (pairs.Count == 0) continue;
            var values = new JsonObject();
            foreach (var (key, value) in pairs) values[key] = value?.ToString();
            metadata[map] = values;
        }
        // The entry's own choice over generatorOptions'.
        var unhashed = (own.Field("disableNameSuffixHash") ?? options.Field("disableNameSuffixHash"))?.ToString() == "true";
        if (!unhashed) ((metadata["annotations"] ??= new JsonObject()).AsObject())[NeedsHash] = "true";
        var o = new JsonObject { ["apiVersion"] = "v1", ["kind"] = kind, ["metadata"] = metadata };
        if (kind == "Secret")
        {
            o["type"] = entry["type"]?.ToString() ?? "Opaque";
            o["data"] = Map(data.Select(d => (d.Key, Convert.ToBase64String(d.Value))));
            return o;
        }
        // Text as it is; what is no UTF-8 (an image, a keystore) as base64 under binaryData.
        var text = data.Select(d => (d.Key, Text: TryText(d.Value))).ToList();
        if (text.Any(t => t.Text is not null)) o["data"] = Map(text.Where(t => t.Text is not null).Select(t => (t.Key, t.Text!)));
        if (text.Any(t => t.Text is null)) o["binaryData"] = Map(data.Where(d => TryText(d.Value) is null).Select(d => (d.Key, Convert.ToBase64String(d.Value))));
        return o;
    }

    private static string? TryText(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static JsonObject Map(IEnumerable<(string Key, string Value)> pairs)
    {
        var map = new JsonObject();
        foreach (var (key, value) in pairs) map[key] = value; // a key given twice: the last wins
        return map;
    }

    /// <summary>A generated object merged into (or replacing the content of) the one a resource made: data key by key, labels
    /// and annotations added; the resource's object keeps its name.</summary>
    private static JsonObject Merge(JsonObject existing, JsonObject generated, bool replace)
    {
        var merged = (JsonObject)existing.DeepClone();
        foreach (var field in new[] { "data", "binaryData" })
        {
            if (replace) merged.Remove(field);
            if (generated[field] is not JsonObject values) continue;
            var target = merged[field] as JsonObject ?? (JsonObject)(merged[field] = new JsonObject());
            foreach (var (key, value) in values) target[key] = value?.DeepClone();
        }
        if (generated["type"] is { } type && replace) merged["type"] = type.DeepClone();
        foreach (var map in new[] { "labels", "annotations" })
        {
            // The resource's own choice of a hashed name stands: a merge adds no hash to a name that had none (nor an
            // empty map of annotations where that mark was all the generator had).
            var values = (generated["metadata"]?[map] as JsonObject ?? []).Where(v => v.Key != NeedsHash).ToList();
            if (values.Count == 0) continue;
            var metadata = (JsonObject)merged["metadata"]!;
            var target = metadata[map] as JsonObject ?? (JsonObject)(metadata[map] = new JsonObject());
            foreach (var (key, value) in values) target[key] = value?.DeepClone();
        }
        return merged;
    }

    /// <summary>Kustomize's hash of a ConfigMap's or Secret's content (api/hasher): the SHA-256 of its data, kind, type and
    /// an empty name as Go writes JSON (keys sorted, &lt; &gt; &amp; escaped), its first ten hex digits with 0, 1, 3, a and
    /// e changed to g, h, k, m and t (kubectl's hash, so that no suffix reads as a word or a number).</summary>
    internal static string ContentHash(JsonObject o)
    {
        static JsonNode Sorted(JsonNode? map) => map is JsonObject m
            ? new JsonObject(m.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())))
            : JsonValue.Create("")!;
        var encoded = new JsonObject();
        if (o["kind"]?.ToString() == "Secret")
        {
            encoded["data"] = Sorted(o["data"]);
            encoded["kind"] = "Secret";
            encoded["name"] = "";
            if (o["stringData"] is JsonObject stringData) encoded["stringData"] = Sorted(stringData);
            encoded["type"] = o["type"]?.DeepClone() ?? "";
        }
        else
        {
            if (o["binaryData"] is JsonObject binary) encoded["binaryData"] = Sorted(binary);
            encoded["data"] = Sorted(o["data"]);
            encoded["kind"] = "ConfigMap";
            encoded["name"] = "";
        }
        var json = encoded.ToJsonString(GoLike);
        // As Go's encoder writes strings: HTML's characters and the line separators escaped, hex digits in lower case.
        json = System.Text.RegularExpressions.Regex.Replace(json.Replace("<", "\\u003c").Replace(">", "\\u003e").Replace("&", "\\u0026")
            .Replace("\u2028", "\\u2028").Replace("\u2029", "\\u2029"), @"\\u[0-9A-F]{4}", m => m.Value.ToLowerInvariant());
        var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        return new string(hex[..10].Select(c => c switch { '0' => 'g', '1' => 'h', '3' => 'k', 'a' => 'm', 'e' => 't', _ => c }).ToArray());
    }

    private static readonly JsonSerializerOptions GoLike = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
