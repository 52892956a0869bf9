using System.Text.Json.Nodes;
using Linkerd2Gen.Kubernetes;
using Linkerd2Gen.Linkerd;
using Linkerd2Gen.Model;
using Linkerd2Gen.Render;
using Linkerd2Gen.Resolve;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Verify;

/// <summary>The answer of a dry run of the policy: allowed or not, and why.</summary>
public sealed record AccessAnswer(bool Allowed, string Why);

/// <summary>A question to the policy: may a workload call a Service's port? Either side may name its cluster
/// (CLUSTER/NAMESPACE/NAME); a Service without one is looked for in the caller's cluster.</summary>
public sealed record AccessQuery(string? FromCluster, string FromNamespace, string FromWorkload, string? ToCluster, string ToNamespace, string ToService, string Port)
{
    /// <summary>--from [CLUSTER/]NAMESPACE/WORKLOAD --to [CLUSTER/]NAMESPACE/SERVICE:PORT; null when it is not of that shape.</summary>
    public static AccessQuery? Parse(string from, string to)
    {
        var caller = from.Split('/');
        var colon = to.LastIndexOf(':');
        var callee = colon < 0 ? [] : to[..colon].Split('/');
        var port = colon < 0 ? "" : to[(colon + 1)..];
        if (caller.Length is not (2 or 3) || callee.Length is not (2 or 3) || port.Length == 0 || caller.Concat(callee).Any(p => p.Length == 0)) return null;
        return new AccessQuery(caller.Length == 3 ? caller[0] : null, caller[^2], caller[^1], callee.Length == 3 ? callee[0] : null, callee[^2], callee[^1], port);
    }
}

/// <summary>One cluster of a run as check-access reads it: its resolved mesh and its built bundle's objects.</summary>
public sealed record ClusterObjects(ResolvedMesh Mesh, IReadOnlyList<JsonObject> Objects)
{
    public string Cluster => Mesh.Cluster;
}

/// <summary>
/// A dry run of the rendered policy, offline: may workload A call port P of service B? Read from the built bundles' objects
/// (the workload's ServiceAccount, the Service's port, the Servers and the identities their policies admit; a base's own
/// workloads and Services included), as Linkerd would decide it. Across clusters, as Linkerd's multicluster carries the
/// call: only through a link of the caller's cluster to an export of the callee's, and with the identity the callee's
/// pods then see (the gateway's through a gateway; the caller's own pod to pod).
/// </summary>
public static class AccessCheck
{
    private static string? S(JsonNode? n) => n?.ToString();

    /// <param name="clusters">The run's clusters, each with its built bundle's objects (<see cref="BundleStream.Objects"/>).</param>
    /// <returns>The answer; or null, with what was not found in each cluster that could have answered.</returns>
    public static (AccessAnswer? Answer, IReadOnlyList<string> Unknown) Check(IReadOnlyList<ClusterObjects> clusters, AccessQuery q)
    {
        var unknown = new[] { q.FromCluster, q.ToCluster }.OfType<string>().Distinct().Where(c => clusters.All(x => x.Cluster != c))
            .Select(c => $"no cluster {c} in this run (its clusters: {string.Join(", ", clusters.Select(x => x.Cluster).Order(StringComparer.Ordinal))})").ToList();
        foreach (var from in clusters.Where(c => q.FromCluster is null || c.Cluster == q.FromCluster))
        {
            var workload = from.Objects.FirstOrDefault(o => Workloads.Is(o)
                && S(o["metadata"].Field("name")) == q.FromWorkload && S(o["metadata"].Field("namespace")) == q.FromNamespace);
            if (workload is null)
            {
                unknown.Add($"no workload {q.FromNamespace}/{q.FromWorkload} in the bundle of {from.Cluster}");
                continue;
            }
            var account = S(Workloads.PodTemplate(workload).Field("spec").Field("serviceAccountName")) ?? "default";
            // Meshed when its pods are injected: their own annotation, else their namespace's (as the bundle builds it, else as the mesh declares it).
            var inject = PodAnnotation(workload, ProxySettings.InjectAnnotation) ?? NamespaceAnnotation(from, q.FromNamespace, ProxySettings.InjectAnnotation)
                ?? from.Mesh.Namespaces.FirstOrDefault(n => n.Name == q.FromNamespace)?.Inject?.Value();
            // …unless Linkerd refuses its pods whatever they say (hostNetwork).
            var refusals = InjectRefusals.Of(Workloads.PodTemplate(workload).Field("spec") as JsonObject);
            var caller = new Caller(from, q.FromNamespace, q.FromWorkload, account,
                ProxySettings.Injects(inject) && refusals.Count == 0 ? from.Mesh.Linkerd.IdentityOf(account, q.FromNamespace) : null,
                refusals.Count > 0 ? $"Linkerd injects no proxy into its pods ({string.Join(", ", refusals)})" : "linkerd.io/inject is not enabled for its pods");
            foreach (var to in q.ToCluster is null ? [from] : clusters.Where(c => c.Cluster == q.ToCluster))
            {
                var (target, missing) = Port(to, q);
                if (target is null)
                {
                    unknown.Add(missing!);
                    // A Service of another cluster is named with its cluster: say which has it.
                    if (q.ToCluster is null && clusters.FirstOrDefault(c => c != from && Port(c, q).Target is not null) is { } other)
                    {
                        unknown.Add($"cluster {other.Cluster} has it: --to {other.Cluster}/{q.ToNamespace}/{q.ToService}:{q.Port}");
                    }
                    continue;
                }
                return (to == from ? Decide(caller, caller.Identity, "", target, q) : Across(caller, to, target, q), []);
            }
        }
        return (null, unknown);
    }

    /// <param name="Identity">Its mTLS identity; null when its pods are not meshed (their calls carry none).</param>
    /// <param name="Unmeshed">Why its pods are not meshed, when they are not.</param>
    private sealed record Caller(ClusterObjects Cluster, string Namespace, string Workload, string Account, string? Identity, string Unmeshed)
    {
        public string Subject(bool withCluster) => $"{(withCluster ? Cluster.Cluster + "/" : "")}{Namespace}/{Workload} "
            + (Identity is null ? $"(ServiceAccount {Account}, not meshed: {Unmeshed}, so its calls carry no identity)"
                : $"(ServiceAccount {Account}, identity {Identity})");
    }

    private static string? PodAnnotation(JsonObject workload, string key) => S(Workloads.PodTemplate(workload).Field("metadata").Field("annotations")?[key]);

    private static string? NamespaceAnnotation(ClusterObjects cluster, string @namespace, string key) =>
        S(cluster.Objects.FirstOrDefault(o => S(o["kind"]) == "Namespace" && S(o["metadata"].Field("name")) == @namespace).Field("metadata").Field("annotations")?[key]);

    /// <summary>The called Service's port: the cluster, the Service and the pods' port it targets (the port itself without a targetPort).</summary>
    private sealed record Target(ClusterObjects Cluster, JsonObject Service, string PodPort);

    private static (Target? Target, string? Missing) Port(ClusterObjects to, AccessQuery q)
    {
        var service = to.Objects.FirstOrDefault(o => S(o["kind"]) == "Service" && S(o["metadata"].Field("name")) == q.ToService && S(o["metadata"].Field("namespace")) == q.ToNamespace);
        if (service is null) return (null, $"no Service {q.ToNamespace}/{q.ToService} in the bundle of {to.Cluster}");
        var port = (service["spec"].Field("ports") as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(p => S(p["port"]) == q.Port || S(p["name"]) == q.Port);
        if (port is null) return (null, $"Service {q.ToNamespace}/{q.ToService} of {to.Cluster} has no port {q.Port}");
        return (new Target(to, service, S(port["targetPort"]) ?? S(port["port"])!), null);
    }

    /// <summary>A call into another cluster: through a link of the caller's cluster, to a mirror of the Service's export.</summary>
    private static AccessAnswer Across(Caller caller, ClusterObjects to, Target target, AccessQuery q)
    {
        var (from, subject, callee) = (caller.Cluster.Mesh, caller.Subject(true), $"{to.Cluster}/{q.ToNamespace}/{q.ToService}:{q.Port}");
        var export = to.Mesh.Services.FirstOrDefault(s => s.Namespace == q.ToNamespace && s.Name == q.ToService)?.Export;
        if (export is null)
        {
            return new AccessAnswer(false, $"{subject} may not call {callee}: {to.Cluster} does not export {q.ToNamespace}/{q.ToService}, so no linked cluster has a mirror of it");
        }
        var link = from.IsSource ? from.Multicluster?.Links.FirstOrDefault(l => l.Cluster == to.Cluster) : null;
        if (link is null)
        {
            return new AccessAnswer(false, $"{subject} may not call {callee}: {from.Cluster} does not link {to.Cluster}, so no mirror of it exists in {from.Cluster} "
                + "(a source links the clusters its remotes name and its workloads call)");
        }
        if (link.GatewayLess && export == ExportMode.Gateway)
        {
            return new AccessAnswer(false, $"{subject} may not call {callee}: {from.Cluster} links {to.Cluster} without its gateway (--gateway=false), "
                + "which mirrors only exports that need none, and this one goes through the gateway (declare the call, or a remote, to link with the gateway)");
        }
        if (caller.Identity is null)
        {
            // The gateway's port requires an identity; gateway-less mirrors' endpoints are found by the proxy itself.
            return new AccessAnswer(false, $"{subject} may not call {callee}: only a meshed workload reaches another cluster's mirror");
        }
        var mirror = new ExportedService(q.ToNamespace, q.ToService, export.Value, null).MirrorIn(to.Cluster);
        // Through a gateway the callee's pods see the gateway's identity; pod to pod (remote-discovery, federated), the caller's.
        return export == ExportMode.Gateway
            ? Decide(caller, to.Mesh.Gateway.Identity, $" by its mirror {mirror}, through the gateway of {to.Cluster} (whose identity {to.Mesh.Gateway.Identity} the call carries there)", target, q)
            : Decide(caller, caller.Identity, $" by its mirror {mirror}, pod to pod (with its own identity)", target, q);
    }

    /// <summary>What the callee's Server says of the identity the call arrives with (null: none, the caller is not meshed).</summary>
    private static AccessAnswer Decide(Caller caller, string? identity, string how, Target target, AccessQuery q)
    {
        var (objects, crossing) = (target.Cluster.Objects, target.Cluster != caller.Cluster);
        var subject = caller.Subject(crossing);
        var callee = $"{(crossing ? target.Cluster.Cluster + "/" : "")}{q.ToNamespace}/{q.ToService}:{q.Port}{how}";
        var selector = target.Service["spec"].Field("selector") as JsonObject ?? [];
        var server = objects.FirstOrDefault(o => S(o["kind"]) == "Server" && S(o["metadata"].Field("namespace")) == q.ToNamespace && S(o["spec"].Field("port")) == target.PodPort
            && o["spec"].Field("podSelector").Field("matchLabels") is JsonObject labels && labels.Count == selector.Count && labels.All(l => S(selector[l.Key]) == S(l.Value)));
        if (server is null)
        {
            return Default(subject, callee, identity is not null, target, q);
        }
        var serverName = S(server["metadata"].Field("name"));
        var authentications = objects.Where(o => S(o["kind"]) == "AuthorizationPolicy" && S(o["spec"].Field("targetRef").Field("name")) == serverName)
            .SelectMany(p => (p["spec"].Field("requiredAuthenticationRefs") as JsonArray ?? []).OfType<JsonObject>())
            .Select(r => objects.FirstOrDefault(o => S(o["kind"]) == "MeshTLSAuthentication" && S(o["metadata"].Field("name")) == S(r["name"])))
            .OfType<JsonObject>()
            .Concat(objects.Where(o => S(o["kind"]) == "ServerAuthorization" && S(o["spec"].Field("server").Field("name")) == serverName).Select(o => (JsonObject)o["spec"]!["client"]!["meshTLS"]!))
            .ToList();
        var identities = authentications.SelectMany(a => Admits(a, target.Cluster.Mesh.Linkerd)).ToList();
        var match = identity is null ? null
            : identities.FirstOrDefault(i => i == identity || i == "*" || (i.StartsWith("*.", StringComparison.Ordinal) && identity.EndsWith(i[1..], StringComparison.Ordinal)));
        return match is not null
            ? new AccessAnswer(true, $"{subject} may call {callee}: Server {serverName} admits {match}")
            : new AccessAnswer(false, $"{subject} may not call {callee}: Server {serverName} admits only {(identities.Count == 0 ? "nobody" : string.Join(", ", identities))}");
    }

    /// <summary>A port no Server guards: the default inbound policy of the callee's pods decides (their annotation, else
    /// their namespace's, else the cluster's, set at install).</summary>
    private static AccessAnswer Default(string subject, string callee, bool meshed, Target target, AccessQuery q)
    {
        var selector = target.Service["spec"].Field("selector") as JsonObject ?? [];
        var pods = target.Cluster.Objects.FirstOrDefault(o => Workloads.Is(o) && S(o["metadata"].Field("namespace")) == q.ToNamespace
            && selector.Count > 0 && selector.All(l => S(Workloads.PodTemplate(o).Field("metadata").Field("labels")?[l.Key]) == S(l.Value)));
        var key = ProxySettings.DefaultInboundPolicyAnnotation;
        var (policy, set) = (pods is null ? null : PodAnnotation(pods, key)) is { } own ? (own, "its pods' default inbound policy")
            : NamespaceAnnotation(target.Cluster, q.ToNamespace, key) is { } ns ? (ns, $"namespace {q.ToNamespace}'s default inbound policy")
            : ("all-unauthenticated", "the cluster's default inbound policy (set at install; all-unauthenticated unless changed)");
        var allowed = ProxySettings.DefaultInboundAdmits(policy, meshed);
        var why = policy switch
        {
            "deny" => "denies what no Server authorizes",
            "all-authenticated" or "cluster-authenticated" => meshed ? "admits every meshed client" : "admits only meshed clients",
            _ => "admits every client",
        };
        return new AccessAnswer(allowed, $"{subject} {(allowed ? "may" : "may not")} call {callee}: no Server guards that port, so {set} decides: {policy} {why}");
    }

    // The identities one MeshTLSAuthentication (or a ServerAuthorization's meshTLS) admits: its identity strings, and its
    // identityRefs as Linkerd resolves them (a ServiceAccount to its identity, a Namespace to all of its ServiceAccounts).
    private static IEnumerable<string> Admits(JsonObject authentication, ResolvedLinkerd linkerd)
    {
        var spec = authentication["spec"] as JsonObject ?? authentication;
        foreach (var identity in spec["identities"] as JsonArray ?? [])
        {
            if (identity?.ToString() is { } text) yield return text;
        }
        var home = authentication["metadata"].Field("namespace")?.ToString() ?? "";
        foreach (var reference in (spec["identityRefs"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = reference["name"]?.ToString() ?? "";
            var ns = reference["namespace"]?.ToString() ?? home;
            switch (reference["kind"]?.ToString())
            {
                case "ServiceAccount":
                    yield return linkerd.IdentityOf(name, ns);
                    break;
                case "Namespace":
                    yield return linkerd.IdentityOf("*", name);
                    break;
            }
        }
    }
}
