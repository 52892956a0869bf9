using System.Text.Json.Nodes;
using System.Text.Json;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Kubernetes;

/// <summary>
/// What re-serialising an object through its Go type does to it in `linkerd inject` (typed k8s structs,
/// clarketm/json's omitempty, resource.Quantity): empty non-pointer structs, maps and slices and zero-valued
/// omitempty scalars vanish, metav1.Time fields vanish, quantities are canonical. Unknown fields cannot be told
/// apart without the Go types and are kept.
/// </summary>
public static class KubernetesShape
{
    // Non-pointer structs and maps tagged omitempty: dropped when empty. Other empty objects ({} of pointer
    // types such as emptyDir or securityContext) are kept, as Go keeps them.
    private static readonly HashSet<string> DropWhenEmpty =
    [
        "metadata", "spec", "status", "strategy", "updateStrategy", "resources", "labels", "annotations",
        "nodeSelector", "matchLabels", "limits", "requests", "data", "stringData", "binaryData", "overhead",
    ];

    // Slices that are not omitempty: kept even when empty.
    private static readonly HashSet<string> KeepEmptyList = ["containers", "items"];

    // Non-pointer bool and int32 fields tagged omitempty: dropped at their zero value.
    private static readonly HashSet<string> DropWhenFalse = ["hostNetwork", "hostPID", "hostIPC", "stdin", "stdinOnce", "tty", "readOnly", "paused"];
    private static readonly HashSet<string> DropWhenZero =
    [
        "hostPort", "minReadySeconds", "initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
        "failureThreshold", "nodePort",
    ];

    // metav1.Time fields tagged omitempty: clarketm/json sees a struct of unexported fields, so always "empty".
    private static readonly HashSet<string> TimeFields = ["creationTimestamp", "lastUpdateTime", "lastTransitionTime", "lastProbeTime"];

    private static readonly HashSet<string> QuantityMaps = ["limits", "requests", "overhead", "capacity", "allocatable", "hard"];

    public static void Normalise(JsonObject obj)
    {
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            var value = obj[key];
            switch (value)
            {
                case JsonObject child:
                    Normalise(child);
                    if (QuantityMaps.Contains(key)) CanonicaliseQuantities(child);
                    if (child.Count == 0 && DropWhenEmpty.Contains(key)) obj.Remove(key);
                    break;
                case JsonArray list:
                    foreach (var item in list.OfType<JsonObject>()) Normalise(item);
                    if (list.Count == 0 && !KeepEmptyList.Contains(key)) obj.Remove(key);
                    break;
                case null:
                    obj.Remove(key);
                    break;
                default:
                    if (TimeFields.Contains(key)
                        || (DropWhenFalse.Contains(key) && value.GetValueKind() == JsonValueKind.False)
                        || (DropWhenZero.Contains(key) && value.GetValueKind() == JsonValueKind.Number && value.ToJsonString() == "0"))
                    {
                        obj.Remove(key);
                    }
                    if (key == "sizeLimit") obj[key] = CanonicalQuantity(value);
                    break;
            }
        }
    }

    private static void CanonicaliseQuantities(JsonObject map)
    {
        foreach (var key in map.Select(p => p.Key).ToList())
        {
            if (map[key] is JsonValue v) map[key] = CanonicalQuantity(v);
        }
    }

    private static JsonNode CanonicalQuantity(JsonNode value)
    {
        var text = JsonScalar.Text(value);
        return JsonValue.Create(Quantity.Canonical(text) ?? text);
    }
}
