using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Kubernetes;

/// <summary>
/// A kustomization's `vars` (deprecated by Kustomize for `replacements`, still in many real bases: kubebuilder's scaffolds
/// named their webhook's Service and Certificate with them). Each var names one object (by group, version and kind, and a
/// name and namespace it has had at some step of the build) when its kustomization is built; once the whole build is done,
/// `$(NAME)` is replaced by that object's field (metadata.name by default) in the fields Kustomize's varReference lists:
/// containers' args, command, env values and mount paths, a Deployment's pod annotations, an Ingress's hosts, a Service's
/// ports, every object's labels and annotations. Kustomize's expansion: `$$` escapes, an unknown `$(X)` stays, and a field
/// that is only `$(NAME)` takes the value with its type (a port stays a number).
/// </summary>
internal static partial class Vars
{
    /// <summary>A var as declared, and the object it names (null when none did where it was declared).</summary>
    public sealed record Var(string Name, string File, string Id, string FieldPath, JsonObject? Target);

    /// <summary>Kustomize's varReference field specs (api/internal/konfig/builtinpluginconsts/varreference.go): a kind (null:
    /// every kind) and a path, whose lists are walked item by item.</summary>
    private static readonly (string? Kind, string[] Path)[] References = BuildReferences();

    private static (string? Kind, string[] Path)[] BuildReferences()
    {
        string[] container = ["containers/args", "containers/command", "containers/env/value", "containers/volumeMounts/mountPath",
            "initContainers/args", "initContainers/command", "initContainers/env/value", "initContainers/volumeMounts/mountPath"];
        var specs = new List<(string?, string)>();
        specs.AddRange(container.Select(p => ((string?)"CronJob", "spec/jobTemplate/spec/template/spec/" + p)));
        specs.Add(("CronJob", "spec/jobTemplate/spec/template/volumes/nfs/server"));
        foreach (var kind in new[] { "DaemonSet", "Deployment", "Job", "ReplicaSet", "StatefulSet" })
        {
            specs.AddRange(container.Select(p => ((string?)kind, "spec/template/spec/" + p)));
            if (kind != "StatefulSet") specs.Add((kind, "spec/template/spec/volumes/nfs/server"));
            if (kind == "Deployment") specs.Add((kind, "spec/template/metadata/annotations"));
        }
        specs.AddRange(new[] { "spec/rules/host", "spec/tls/hosts", "spec/tls/secretName" }.Select(p => ((string?)"Ingress", p)));
        specs.AddRange(container.Select(p => ((string?)"Pod", "spec/" + p)));
        specs.Add(("Pod", "spec/volumes/nfs/server"));
        specs.Add(("Service", "spec/ports/port"));
        specs.Add(("Service", "spec/ports/targetPort"));
        specs.Add(("StatefulSet", "spec/volumeClaimTemplates/spec/nfs/server"));
        specs.Add(("PersistentVolume", "spec/nfs/server"));
        specs.Add((null, "metadata/labels"));
        specs.Add((null, "metadata/annotations"));
        return specs.Select(s => (s.Item1, s.Item2.Split('/'))).ToArray();
    }

    /// <summary>A kustomization's vars, once its transformers have run: each names its object now (Kustomize's MergeVars).
    /// A name declared twice, or an object named twice over, is refused as Kustomize refuses it.</summary>
    public static void Declare(string file, JsonObject k, List<JsonObject> objects, Origins origins, List<Var> vars,
        List<Kustomization.Finding> findings)
    {
        foreach (var declared in (k["vars"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = declared["name"]?.ToString() ?? "";
            var objref = declared["objref"] as JsonObject ?? [];
            var (group, version) = objref["apiVersion"]?.ToString() is { Length: > 0 } apiVersion
                ? ApiVersion.Split(apiVersion)
                : (objref["group"]?.ToString() ?? "", objref["version"]?.ToString() ?? "");
            var kind = objref["kind"]?.ToString() ?? "";
            var target = objref["name"]?.ToString() ?? "";
            var ns = objref["namespace"]?.ToString() ?? "";
            var fieldPath = (declared["fieldref"] as JsonObject)?["fieldpath"]?.ToString() is { Length: > 0 } path ? path : "metadata.name";
            // How Kustomize prints a var in its errors: {NAME Kind.[version].[group] {fieldpath}}.
            var id = $"{{{name} {kind}.{(version.Length > 0 ? version : "[noVer]")}.{(group.Length > 0 ? group : "[noGrp]")} {{{fieldPath}}}}}";
            if (vars.Any(v => v.Name == name))
            {
                findings.Add(new Kustomization.Finding(file, $"declares the var {name}, which is already declared (Kustomize refuses it)", true));
                continue;
            }
            // Kustomize's MergeVars: by group, version and kind, and any id the object has had; a namespace asked is matched
            // with the name (none being `default`), no namespace asked matches any. No cluster-scoped object is in one.
            var matched = objects.Where(o => ApiVersion.IsKind(o, (group, version), kind)
                && (ns.Length == 0 ? origins.Had(o, target, null) : !Kustomization.ClusterScoped.Contains(kind) && origins.Had(o, target, ns))).Take(2).ToList();
            if (matched.Count > 1)
            {
                findings.Add(new Kustomization.Finding(file, $"has the var {name}, which names more than one object (Kustomize refuses it)", true));
                continue;
            }
            vars.Add(new Var(name, file, id, fieldPath, matched.FirstOrDefault()));
        }
    }

    /// <summary>Replaces the vars in the built objects (Kustomize's ResolveVars, after the whole build). A var whose object
    /// is not among them, or lacks the field, is an error of its kustomization, and nothing is replaced.</summary>
    public static void Resolve(List<Var> vars, List<JsonObject> objects, List<Kustomization.Finding> findings)
    {
        if (vars.Count == 0) return;
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var refused = false;
        foreach (var v in vars)
        {
            if (v.Target is not { } target || !objects.Contains(target, ReferenceEqualityComparer.Instance))
            {
                findings.Add(new Kustomization.Finding(v.File, $"has the var '{v.Id}', which cannot be mapped to a field in the set of known resources (Kustomize refuses it)", true));
                refused = true;
            }
            else if (Replacements.ValueAt(target, SliceIndexes(v.FieldPath)) is not { } value)
            {
                findings.Add(new Kustomization.Finding(v.File, $"has the var '{v.Id}', whose field is not found in the object it names (Kustomize refuses it)", true));
                refused = true;
            }
            else values[v.Name] = value;
        }
        if (refused) return;
        foreach (var o in objects)
        {
            var kind = o["kind"]?.ToString();
            foreach (var (specKind, path) in References.Where(r => r.Kind is null || r.Kind == kind))
            {
                foreach (var (parent, key, index) in Leaves(o, path, 0))
                {
                    var leaf = parent is JsonObject map ? map[key] : ((JsonArray)parent)[index];
                    // An object's own labels and annotations are texts to Kustomize: a var written whole stays text there.
                    // (A field Kustomize refuses to expand is blamed on the kustomization that declared the first var.)
                    var expanded = Expanded(leaf, values, texts: specKind is null, file: vars[0].File, findings);
                    if (!ReferenceEquals(expanded, leaf))
                    {
                        if (parent is JsonObject m) m[key] = expanded;
                        else ((JsonArray)parent)[index] = expanded;
                    }
                }
            }
        }
    }

    /// <summary>A field path as vars write it (`spec.ports[0].port`) in the steps of <see cref="Replacements"/> (`ports.0`).</summary>
    private static string SliceIndexes(string fieldPath) => SliceIndex().Replace(fieldPath, m => m.Groups[1].Length > 0 ? $"{m.Groups[1].Value}.{m.Groups[2].Value}" : m.Groups[2].Value);

    [GeneratedRegex(@"(?<=^|\.)([^.\[]*)\[(\d+)\](?=\.|$)")]
    private static partial Regex SliceIndex();

    /// <summary>Where a field spec's path leads: each list on the way is walked item by item; a missing field is no place.</summary>
    private static IEnumerable<(JsonNode Parent, string Key, int Index)> Leaves(JsonNode node, string[] path, int step)
    {
        if (node is JsonArray list)
        {
            foreach (var item in list.OfType<JsonNode>().ToList())
            {
                foreach (var leaf in Leaves(item, path, step)) yield return leaf;
            }
            yield break;
        }
        if (node is not JsonObject map || map[path[step]] is not { } child) yield break;
        if (step == path.Length - 1)
        {
            yield return (map, path[step], -1);
            yield break;
        }
        foreach (var leaf in Leaves(child, path, step + 1)) yield return leaf;
    }

    /// <summary>A field with its vars replaced (Kustomize's refvar filter): a text; a map's texts; a list's items, which must
    /// all be texts. Anything else is left as it is.</summary>
    private static JsonNode? Expanded(JsonNode? field, Dictionary<string, JsonNode?> values, bool texts, string file, List<Kustomization.Finding> findings)
    {
        switch (field)
        {
            case JsonValue text when text.GetValueKind() == JsonValueKind.String:
                return Replaced(text.GetValue<string>(), values, texts: false) ?? field;
            case JsonObject map:
                foreach (var (key, value) in map.ToList())
                {
                    if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && Replaced(v.GetValue<string>(), values, texts) is { } replaced)
                        map[key] = replaced;
                }
                return field;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is not JsonValue item || item.GetValueKind() != JsonValueKind.String)
                    {
                        findings.Add(new Kustomization.Finding(file, "has vars Kustomize refuses to replace in a list that is not all texts", true));
                        return field;
                    }
                    if (Replaced(item.GetValue<string>(), values, texts: false) is { } replaced) list[i] = replaced;
                }
                return field;
            default:
                return field;
        }
    }

    /// <summary>What a text holds with its vars replaced, or null when nothing changes: the var's own value (a copy, with its
    /// type; as text where <paramref name="texts"/>) when the text was only the var.</summary>
    private static JsonNode? Replaced(string input, Dictionary<string, JsonNode?> values, bool texts)
    {
        var (whole, expanded) = Expand(input, values);
        if (whole is JsonValue value) return texts ? JsonValue.Create(Format(value)) : value.DeepClone();
        return expanded == input ? null : JsonValue.Create(expanded);
    }

    /// <summary>Kubernetes' expansion (third_party/forked/golang/expansion) as Kustomize uses it: `$(NAME)` is the var's value,
    /// `$$` is `$`, an unknown `$(X)` or a var that is no scalar stays as written. When the whole text is one known var,
    /// its value is returned as it is (Whole), keeping its type.</summary>
    private static (JsonNode? Whole, string Text) Expand(string input, Dictionary<string, JsonNode?> values)
    {
        if (!input.Contains('$')) return (null, input);
        var text = new StringBuilder();
        var checkpoint = 0;
        for (var cursor = 0; cursor < input.Length; cursor++)
        {
            if (input[cursor] != '$' || cursor + 1 >= input.Length) continue;
            text.Append(input, checkpoint, cursor - checkpoint);
            var rest = input.AsSpan(cursor + 1);
            int advance;
            if (rest[0] == '$')
            {
                text.Append('$');
                advance = 1;
            }
            else if (rest[0] == '(' && rest.IndexOf(')') is var close and > 0)
            {
                var name = rest[1..close].ToString();
                var known = values.TryGetValue(name, out var value) && value is JsonValue;
                if (known && input.Length == close + 2 && cursor == 0) return (value, "");
                text.Append(known ? Format((JsonValue)value!) : $"$({name})");
                advance = close + 1;
            }
            else
            {
                // Not a reference: the operator and the character after it, as written.
                text.Append('$').Append(rest[0]);
                advance = 1;
            }
            cursor += advance;
            checkpoint = cursor + 1;
        }
        return (null, text.Append(input, checkpoint, input.Length - checkpoint).ToString());
    }

    /// <summary>A scalar as Go's %v prints it inside a text.</summary>
    private static string Format(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.Number when value.TryGetValue<long>(out var integer) => integer.ToString(CultureInfo.InvariantCulture),
        JsonValueKind.Number => GoYaml.FormatFloat(value.GetValue<double>()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => JsonScalar.Text(value),
    };
}
