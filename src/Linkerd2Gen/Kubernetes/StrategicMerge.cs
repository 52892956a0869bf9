using System.Text.Json.Nodes;

namespace Linkerd2Gen.Kubernetes;

/// <summary>
/// A strategic-merge patch of a workload, with Kustomize's (apimachinery's) semantics: maps merge key by key (a null
/// value deletes the key), lists of containers, volumes, env, ports and mounts merge item by item on their merge key,
/// other lists are replaced; `$patch: delete` removes a map or a keyed list item, `$patch: replace` replaces a map.
/// </summary>
public static class StrategicMerge
{
    /// <summary>patchMergeKey of the pod-spec lists (k8s.io/api core/v1 types.go), by field name.</summary>
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name", ["initContainers"] = "name", ["ephemeralContainers"] = "name", ["volumes"] = "name",
        ["env"] = "name", ["ports"] = "containerPort", ["volumeMounts"] = "mountPath", ["volumeDevices"] = "devicePath",
        ["imagePullSecrets"] = "name", ["hostAliases"] = "ip", ["resourceClaims"] = "name", ["topologySpreadConstraints"] = "topologyKey",
    };

    private const string Directive = "$patch";

    /// <summary>The target (unchanged) merged with the patch, as a new object.</summary>
    public static JsonObject Apply(JsonObject target, JsonObject patch) => (JsonObject)Merge(target.DeepClone(), patch)!;

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p) return patch?.DeepClone();
        if (p[Directive]?.ToString() == "replace") return Without(p, Directive);
        if (target is not JsonObject t) return Without(p, Directive);
        foreach (var (key, value) in p)
        {
            if (key.StartsWith('$')) continue;
            if (value is null) t.Remove(key);
            else if (value is JsonObject { } child && child[Directive]?.ToString() == "delete") t.Remove(key);
            else if (value is JsonArray list && MergeKeys.TryGetValue(key, out var mergeKey) && t[key] is JsonArray existing) t[key] = MergeList(existing, list, mergeKey);
            else t[key] = Merge(t[key], value);
        }
        return t;
    }

    private static JsonArray MergeList(JsonArray target, JsonArray patch, string key)
    {
        var result = new JsonArray(target.Select(i => i?.DeepClone()).ToArray());
        foreach (var item in patch)
        {
            if (item is not JsonObject p || p[key] is not { } id)
            {
                result.Add(item?.DeepClone());
                continue;
            }
            var match = result.OfType<JsonObject>().FirstOrDefault(i => i[key]?.ToJsonString() == id.ToJsonString());
            if (p[Directive]?.ToString() == "delete")
            {
                if (match is not null) result.Remove(match);
            }
            else if (match is not null)
            {
                var index = result.IndexOf(match);
                result[index] = Merge(match.DeepClone(), p);
            }
            else
            {
                result.Add((JsonNode)Without(p, Directive));
            }
        }
        return result;
    }

    private static JsonObject Without(JsonObject o, string key) =>
        new(o.Where(kv => kv.Key != key).Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())));

    /// <summary>The patch without its directives ($patch and the other $-keys), for a typed check of its fields.</summary>
    public static JsonNode? WithoutDirectives(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(kv => !kv.Key.StartsWith('$')).Select(kv => KeyValuePair.Create(kv.Key, WithoutDirectives(kv.Value)))),
        JsonArray a => new JsonArray(a.Select(WithoutDirectives).ToArray()),
        _ => node?.DeepClone(),
    };
}
