using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Linkerd2Gen.Kubernetes;
using Linkerd2Gen.Resolve;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Render;

/// <summary>
/// A bundle built as `kubectl kustomize &lt;out&gt;/&lt;cluster&gt;` builds it, as one YAML stream (`render --stdout`, for
/// an Argo CD plugin or a pipe to kubectl): the resources of its kustomization (its own files, and the base folders
/// it names, built as <see cref="Kustomization"/> builds them), with the patches of the Components it lists applied (merge patches
/// as strategic merges, RFC 6902 ones as JSON patches), in Kustomize's legacy kind order. The patch Components a
/// bundle does not list (those for objects installed by someone else) have nothing here to patch and stay out.
/// </summary>
public static class BundleStream
{
    // Kustomize's legacy order (api/resid/gvk.go): these kinds first in this order, everything else, then the webhooks.
    private static readonly string[] First =
    [
        "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount", "PodSecurityPolicy", "Role",
        "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service", "LimitRange",
        "PriorityClass", "PersistentVolume", "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget",
    ];
    private static readonly string[] Last = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

    /// <param name="bundleDir">Where the bundle is (or would be) written: its kustomization names bases relative to it.</param>
    /// <param name="notBuilt">Collects what of the bases could not be built as Kustomize builds it.</param>
    /// <param name="built">Base folders built already (the compile's), by <see cref="Kustomization.Key"/>; others are built here.</param>
    public static string Build(Bundle bundle, string bundleDir, List<Kustomization.Finding>? notBuilt = null, IReadOnlyDictionary<string, Kustomization.Built>? built = null)
    {
        var stream = new StringBuilder();
        foreach (var o in Objects(bundle, bundleDir, notBuilt, built))
        {
            if (stream.Length > 0) stream.Append("---\n");
            stream.Append(GoYaml.Write(o));
        }
        return stream.ToString();
    }

    /// <summary>The objects the built bundle holds (its own, its bases', patches applied), in Kustomize's order.</summary>
    /// <param name="bundleDir">Where the bundle is (or would be) written: its kustomization names bases relative to it.</param>
    /// <param name="notBuilt">Collects what of the bases could not be built as Kustomize builds it.</param>
    /// <param name="built">Base folders built already (the compile's), by <see cref="Kustomization.Key"/>; others are built here.
    /// Their objects are read, never changed: a patch makes a patched copy.</param>
    public static IReadOnlyList<JsonObject> Objects(Bundle bundle, string bundleDir, List<Kustomization.Finding>? notBuilt = null, IReadOnlyDictionary<string, Kustomization.Built>? built = null)
    {
        var kustomization = (JsonObject)GoYaml.Read(bundle.Files["kustomization.yaml"])!;
        var objects = new List<JsonObject>();
        foreach (var resource in Entries(kustomization, "resources"))
        {
            if (bundle.Files.TryGetValue(resource, out var text))
            {
                objects.AddRange(ManifestReader.Read(text));
                continue;
            }
            var folder = Path.Combine(bundleDir, resource);
            var (baseObjects, findings) = built?.GetValueOrDefault(Kustomization.Key(folder)) ?? Kustomization.Build(folder);
            objects.AddRange(baseObjects);
            notBuilt?.AddRange(findings);
        }
        foreach (var component in Entries(kustomization, "components"))
        {
            var patches = (JsonObject)GoYaml.Read(bundle.Files[$"{component}/kustomization.yaml"])!;
            foreach (var patch in (patches["patches"] as JsonArray ?? []).OfType<JsonObject>())
            {
                // The bundle's own targets: kind, name and namespace, as the resolver wrote them.
                var target = PatchTarget.Parse(patch["target"] as JsonObject ?? [], out _)!;
                var text = bundle.Files[$"{component}/{patch["path"]}"];
                // The bundle's own patches: RFC 6902 arrays, or merge patches (JSON objects).
                var operations = text.TrimStart().StartsWith('[') ? text : null;
                var merge = operations is null ? (JsonObject)JsonNode.Parse(text)! : null;
                for (var i = 0; i < objects.Count; i++)
                {
                    if (target.Matches(objects[i])) objects[i] = Kustomization.Apply(objects[i], operations, merge);
                }
            }
        }
        return objects.OrderBy(Rank).ThenBy(Id, StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> Entries(JsonObject kustomization, string field) =>
        (kustomization[field] as JsonArray ?? []).Select(e => e!.ToString().TrimEnd('/'));

    // Kustomize's legacy sort: the kind's rank, then "group_version_kind" ("~G" for the core group), then namespace and name.
    private static int Rank(JsonObject o)
    {
        var kind = o["kind"]?.ToString() ?? "";
        var first = Array.IndexOf(First, kind);
        if (first >= 0) return first - First.Length;
        var last = Array.IndexOf(Last, kind);
        return last >= 0 ? last + 1 : 0;
    }

    private static string Id(JsonObject o)
    {
        var (group, version) = ApiVersion.Split(o["apiVersion"]?.ToString() ?? "");
        return $"{(group.Length == 0 ? "~G" : group)}_{version}_{o["kind"]}|{o["metadata"].Field("namespace")?.ToString() ?? "~X"}|{o["metadata"].Field("name")}";
    }
}
