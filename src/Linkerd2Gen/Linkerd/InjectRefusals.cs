using System.Text.Json;
using System.Text.Json.Nodes;

namespace Linkerd2Gen.Linkerd;

/// <summary>
/// What makes Linkerd leave a pod without a proxy whatever its annotations say, in linkerd's order and words (pkg/inject's
/// report: the `linkerd inject` command and the proxy injector's webhook both skip such pods). A pod on the host's
/// network shares the node's interfaces, which the proxy's iptables rules would take over; a pod with another mesh's
/// sidecar has a proxy already.
/// </summary>
public static class InjectRefusals
{
    /// <summary>Why the pods of this pod spec are never injected; empty when nothing stands in the way.</summary>
    public static IReadOnlyList<string> Of(JsonObject? podSpec)
    {
        if (podSpec is null) return [];
        var refusals = new List<string>();
        if (podSpec["hostNetwork"]?.GetValueKind() == JsonValueKind.True) refusals.Add("hostNetwork is enabled");
        if (HasSidecar(podSpec)) refusals.Add("pod has a sidecar injected already");
        return refusals;
    }

    private static bool HasSidecar(JsonObject podSpec) =>
        (podSpec["containers"] as JsonArray ?? []).OfType<JsonObject>().Any(c => c["name"]?.ToString() is "istio-proxy" || (c["image"]?.ToString() ?? "").StartsWith("gcr.io/istio-release/proxyv2:", StringComparison.Ordinal))
        || (podSpec["initContainers"] as JsonArray ?? []).OfType<JsonObject>().Any(c => c["name"]?.ToString() is "istio-init" || (c["image"]?.ToString() ?? "").StartsWith("gcr.io/istio-release/proxy_init:", StringComparison.Ordinal));
}
