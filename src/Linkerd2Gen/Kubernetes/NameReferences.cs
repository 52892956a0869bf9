using System.Text.Json.Nodes;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Kubernetes;

/// <summary>
/// What Kustomize's name-reference step does once a kustomization has renamed or moved its objects (a name prefix or
/// suffix, a namespace): the fields that name one of them follow it. A pod's ServiceAccount (its Linkerd identity), its
/// ConfigMaps, Secrets and claims, a StatefulSet's Service, a binding's role and ServiceAccount subjects (name and
/// namespace), an autoscaler's target, an Ingress's Services and Secrets. A name that no object of the build had is left
/// as it is, as Kustomize leaves it.
/// </summary>
internal static class NameReferences
{
    /// <summary>An object's kind, name and namespace at one moment of the build.</summary>
    public readonly record struct Identity(string Kind, string Name, string? Namespace)
    {
        public static Identity Of(JsonObject o) =>
            new(o["kind"]?.ToString() ?? "", o["metadata"].Field("name")?.ToString() ?? "", o["metadata"].Field("namespace")?.ToString());
    }

    /// <summary>Updates the references among <paramref name="objects"/>; <paramref name="before"/> holds each one's identity
    /// (index for index) before the kustomization renamed it.</summary>
    public static void Follow(IReadOnlyList<JsonObject> objects, IReadOnlyList<Identity> before)
    {
        var renamed = new Dictionary<(string Kind, string Name), List<(string? Namespace, Identity Now)>>();
        for (var i = 0; i < objects.Count; i++)
        {
            var now = Identity.Of(objects[i]);
            if (now == before[i]) continue;
            var key = (before[i].Kind, before[i].Name);
            if (!renamed.TryGetValue(key, out var list)) renamed[key] = list = [];
            list.Add((before[i].Namespace, now));
        }
        if (renamed.Count == 0) return;
        for (var i = 0; i < objects.Count; i++)
        {
            Referrer(objects[i], before[i].Namespace, renamed);
        }
    }

    /// <summary>The object renamed from <paramref name="name"/> of <paramref name="kind"/> in <paramref name="ns"/> (a
    /// namespaced reference is to its own namespace; a cluster-scoped kind's has none), if there is one.</summary>
    private static Identity? Find(Dictionary<(string, string), List<(string? Namespace, Identity Now)>> renamed, string kind, string? name, string? ns, bool clusterScoped = false)
    {
        if (name is null || !renamed.TryGetValue((kind, name), out var candidates)) return null;
        var match = candidates.Where(c => clusterScoped || SameNamespace(c.Namespace, ns)).Take(2).ToList();
        return match.Count == 1 ? match[0].Now : null;
    }

    /// <summary>Whether two namespaces are one, as Kustomize compares them: no namespace is the namespace `default`.</summary>
    internal static bool SameNamespace(string? a, string? b) => (string.IsNullOrEmpty(a) ? "default" : a) == (string.IsNullOrEmpty(b) ? "default" : b);

    private static void Referrer(JsonObject o, string? ns, Dictionary<(string, string), List<(string? Namespace, Identity Now)>> renamed)
    {
        void Rename(JsonNode? holder, string field, string kind)
        {
            if (holder is JsonObject h && Find(renamed, kind, h[field]?.ToString(), ns) is { } now) h[field] = now.Name;
        }
        var kind = o["kind"]?.ToString();
        if (Workloads.Is(o) || kind == "Pod")
        {
            var template = kind == "Pod" ? o : Workloads.PodTemplate(o);
            Pod(template.Field("spec") as JsonObject, Rename);
        }
        if (kind == "StatefulSet") Rename(o["spec"], "serviceName", "Service");
        if (kind is "RoleBinding" or "ClusterRoleBinding")
        {
            var roleKind = o["roleRef"].Field("kind")?.ToString();
            if (roleKind is "Role" or "ClusterRole" && o["roleRef"] is JsonObject roleRef
                && Find(renamed, roleKind, roleRef["name"]?.ToString(), ns, clusterScoped: roleKind == "ClusterRole") is { } role)
            {
                roleRef["name"] = role.Name;
            }
            // A subject names its ServiceAccount's namespace itself (none: the binding's own). Kustomize matches subjects by
            // name whatever their kind (a User named as a renamed ServiceAccount is renamed too), and so does this.
            foreach (var subject in (o["subjects"] as JsonArray ?? []).OfType<JsonObject>()) NameAndNamespace(subject, "ServiceAccount");
        }
        // A webhook's and an aggregated API's Service: named with its namespace, both followed.
        foreach (var webhook in kind is "ValidatingWebhookConfiguration" or "MutatingWebhookConfiguration" ? o["webhooks"] as JsonArray ?? [] : [])
        {
            NameAndNamespace(webhook.Field("clientConfig").Field("service"), "Service");
        }
        if (kind == "APIService") NameAndNamespace(o["spec"].Field("service"), "Service");
        void NameAndNamespace(JsonNode? reference, string referredKind)
        {
            if (reference is not JsonObject r || Find(renamed, referredKind, r["name"]?.ToString(), r["namespace"]?.ToString() ?? ns) is not { } now) return;
            r["name"] = now.Name;
            if (now.Namespace is { } moved) r["namespace"] = moved;
        }
        if (kind == "HorizontalPodAutoscaler" && o["spec"].Field("scaleTargetRef") is JsonObject scaled)
        {
            Rename(scaled, "name", scaled["kind"]?.ToString() ?? "");
        }
        if (kind == "Ingress")
        {
            var backends = new[] { o["spec"].Field("defaultBackend") }
                .Concat((o["spec"].Field("rules") as JsonArray ?? []).SelectMany(r => r.Field("http").Field("paths") as JsonArray ?? []).Select(p => p.Field("backend")));
            foreach (var backend in backends) Rename(backend.Field("service"), "name", "Service");
            foreach (var tls in o["spec"].Field("tls") as JsonArray ?? []) Rename(tls, "secretName", "Secret");
        }
    }

    /// <summary>The names a pod spec refers to: its ServiceAccount, image pull Secrets, volumes' ConfigMaps, Secrets and
    /// claims, and its containers' environment from ConfigMaps and Secrets.</summary>
    private static void Pod(JsonObject? spec, Action<JsonNode?, string, string> rename)
    {
        if (spec is null) return;
        // (Not the deprecated serviceAccount: Kustomize leaves it.)
        rename(spec, "serviceAccountName", "ServiceAccount");
        foreach (var secret in spec["imagePullSecrets"] as JsonArray ?? []) rename(secret, "name", "Secret");
        foreach (var volume in spec["volumes"] as JsonArray ?? [])
        {
            rename(volume.Field("configMap"), "name", "ConfigMap");
            rename(volume.Field("secret"), "secretName", "Secret");
            rename(volume.Field("persistentVolumeClaim"), "claimName", "PersistentVolumeClaim");
            foreach (var source in volume.Field("projected").Field("sources") as JsonArray ?? [])
            {
                rename(source.Field("configMap"), "name", "ConfigMap");
                rename(source.Field("secret"), "name", "Secret");
            }
        }
        var containers = (spec["containers"] as JsonArray ?? []).Concat(spec["initContainers"] as JsonArray ?? []).Concat(spec["ephemeralContainers"] as JsonArray ?? []);
        foreach (var container in containers)
        {
            foreach (var from in container.Field("envFrom") as JsonArray ?? [])
            {
                rename(from.Field("configMapRef"), "name", "ConfigMap");
                rename(from.Field("secretRef"), "name", "Secret");
            }
            foreach (var env in container.Field("env") as JsonArray ?? [])
            {
                rename(env.Field("valueFrom").Field("configMapKeyRef"), "name", "ConfigMap");
                rename(env.Field("valueFrom").Field("secretKeyRef"), "name", "Secret");
            }
        }
    }
}
