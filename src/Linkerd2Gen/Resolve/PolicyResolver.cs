using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Linkerd2Gen.Linkerd;
using Linkerd2Gen.Model;

namespace Linkerd2Gen.Resolve;

/// <summary>A call from a workload of another cluster to a service of this one (the callers of a remote-discovery export).</summary>
public sealed record RemoteCall(string Cluster, string Namespace, string Service, string Identity);

/// <summary>
/// Zero trust from declared calls (policy.mode: calls): for every port a service serves, who may call it. Allowed are the
/// gateway on ports its routes reach, the ServiceAccount of every workload whose calls name the service, the allow entries,
/// and for an export the identity mirrored traffic carries (the gateway's through a gateway; the callers' own with
/// remote-discovery). Identities are written out as strings, so that local and remote ones go in one MeshTLSAuthentication.
/// </summary>
public static class PolicyResolver
{
    /// <summary>The calls every workload of a mesh declares, by target.</summary>
    /// <param name="bases">Each namespace's base (by namespace index; null where it has none): an existing service's
    /// workload and ServiceAccount are its base's.</param>
    public static IReadOnlyList<ResolvedCall> Calls(MeshInput mesh, Origin root, IReadOnlyList<BaseObjects?> bases)
    {
        var calls = new List<ResolvedCall>();
        for (var n = 0; n < (mesh.Namespaces?.Count ?? 0); n++)
        {
            var ns = mesh.Namespaces![n];
            for (var s = 0; s < (ns.Services?.Count ?? 0); s++)
            {
                var svc = ns.Services![s];
                var (workload, account) = (Defaults.WorkloadName(svc), Defaults.ServiceAccount(svc));
                if ((svc.Existing ?? false) && svc.Calls is { Count: > 0 })
                {
                    // Its pods are not rendered here: their identity is the ServiceAccount the base names (the rules
                    // report calls of an existing service whose ServiceAccount is unknown).
                    var pods = bases.ElementAtOrDefault(n)?.Service(svc.Name);
                    if (pods?.ServiceAccount is null) continue;
                    (workload, account) = (pods.Workload ?? workload, pods.ServiceAccount);
                }
                for (var c = 0; c < (svc.Calls?.Count ?? 0); c++)
                {
                    var origin = root.Child($"/namespaces/{n}/services/{s}/calls/{c}");
                    calls.Add(svc.Calls![c] switch
                    {
                        JsonObject o => new ResolvedCall(ns.Name, workload, account,
                            o["cluster"]!.GetValue<string>() is var cluster && cluster == mesh.Metadata.Name ? null : cluster,
                            o["namespace"]!.GetValue<string>(), o["service"]!.GetValue<string>(), origin),
                        var text when text.GetValue<string>() is var t && t.Contains('/') =>
                            new ResolvedCall(ns.Name, workload, account, null, t[..t.IndexOf('/')], t[(t.IndexOf('/') + 1)..], origin),
                        var text => new ResolvedCall(ns.Name, workload, account, null, ns.Name, text.GetValue<string>(), origin),
                    });
                }
            }
        }
        return calls;
    }

    /// <summary>Calls of a mesh to services of other clusters, with the caller's identity (its own control plane's names).</summary>
    /// <param name="bases">Each namespace's base, by namespace index (null where it has none).</param>
    public static IEnumerable<RemoteCall> RemoteCalls(MeshInput mesh, SourceMap map, IReadOnlyList<BaseObjects?> bases)
    {
        var cp = mesh.Linkerd?.ControlPlaneNamespace ?? Defaults.ControlPlaneNamespace;
        var td = mesh.Linkerd?.TrustDomain ?? Defaults.TrustDomain;
        return Calls(mesh, Origin.Root(map), bases).Where(c => c.Cluster is not null)
            .Select(c => new RemoteCall(c.Cluster!, c.Namespace, c.Service, LinkerdIdentity.Of(c.FromServiceAccount, c.FromNamespace, cp, td)));
    }

    public static bool Enabled(MeshInput mesh, NamespaceInput ns) => (ns.Policy?.Mode ?? mesh.Policy?.Mode) == "calls";

    public static IReadOnlyList<ResolvedPortPolicy> Policies(MeshInput mesh, IReadOnlyList<ResolvedNamespace> namespaces, IReadOnlyList<ResolvedWorkload> workloads,
        IReadOnlyList<ResolvedCall> calls, ResolvedGateway gateway, ResolvedLinkerd linkerd, bool isTarget, IReadOnlyList<RemoteCall> remoteCalls)
    {
        var release = linkerd.Release;
        var policies = new List<ResolvedPortPolicy>();
        // Looked up, not searched: a fleet's mesh has tens of thousands of services and calls (searching each list for
        // each port took seconds at 10,000 services).
        var workloadOf = new Dictionary<(string Namespace, string Service), ResolvedWorkload>();
        foreach (var w in workloads) workloadOf.TryAdd((w.Namespace, w.Service), w);
        var callsTo = calls.Where(c => c.Cluster is null).ToLookup(c => (c.Namespace, c.Service));
        var remoteCallsTo = remoteCalls.ToLookup(r => (r.Namespace, r.Service));
        for (var n = 0; n < namespaces.Count; n++)
        {
            var ns = namespaces[n];
            if (!Enabled(mesh, mesh.Namespaces![n]) || release.ServerApiVersion is null) continue;
            var inputs = new Dictionary<string, ServiceInput>(StringComparer.Ordinal);
            foreach (var x in mesh.Namespaces![n].Services ?? []) inputs.TryAdd(x.Name, x);
            foreach (var svc in ns.Services.Where(s => s.HasService && (!s.Existing || Guardable(s))))
            {
                var svcInput = inputs[svc.Name];
                var workload = workloadOf.GetValueOrDefault((ns.Name, svc.Name));
                var selector = workload?.Selector ?? svc.Selector;
                foreach (var port in svc.Ports)
                {
                    var callers = new List<ResolvedCaller>();
                    if (svc.Routes.Any(r => r.Port == port.ServicePort))
                    {
                        callers.Add(Account(gateway.Identity, "the gateway (a route)", gateway.ServiceAccount, gateway.Namespace));
                    }
                    callers.AddRange(callsTo[(ns.Name, svc.Name)]
                        .Select(c => Account(linkerd.IdentityOf(c.FromServiceAccount, c.FromNamespace), $"calls of {c.FromNamespace}/{c.FromWorkload}", c.FromServiceAccount, c.FromNamespace)));
                    foreach (var allow in svcInput.Allow ?? [])
                    {
                        var ports = allow.Ports?.Select(p => p.GetValueKind() == JsonValueKind.Number ? p.GetValue<int>().ToString(CultureInfo.InvariantCulture) : p.GetValue<string>()).ToList();
                        if (ports is not null && !ports.Contains(port.Name) && !ports.Contains(port.ServicePort.ToString(CultureInfo.InvariantCulture))) continue;
                        callers.Add(allow.ServiceAccount is { } sa
                            ? Account(linkerd.IdentityOf(sa, allow.Namespace), "allow", sa, allow.Namespace)
                            : new ResolvedCaller(linkerd.IdentityOf("*", allow.Namespace), "allow (the whole namespace)")
                            {
                                RefKind = "Namespace",
                                RefName = allow.Namespace,
                            });
                    }
                    if (isTarget && svc.Export == ExportMode.Gateway)
                    {
                        callers.Add(Account(gateway.Identity, "linked clusters, through the gateway (an export)", gateway.ServiceAccount, gateway.Namespace));
                    }
                    if (svc.Export is ExportMode.RemoteDiscovery or ExportMode.Federated)
                    {
                        callers.AddRange(remoteCallsTo[(ns.Name, svc.Name)]
                            .Select(r => new ResolvedCaller(r.Identity, $"calls from cluster {r.Cluster} (an export)")));
                    }
                    policies.Add(new ResolvedPortPolicy($"{svc.Name}-{port.Name}", ns.Name, svc.Name, port.Name, port.ServicePort, selector,
                        ProxyProtocol(port.Speaks), $"policy.linkerd.io/{release.ServerApiVersion}", linkerd.Version < new LinkerdVersion(12),
                        callers.DistinctBy(c => c.Identity).ToList(), port.Origin)
                    {
                        // The bundle names its containers' ports as the Service's; an existing Service's pods are reached by its targetPort.
                        PodPort = svc.Existing ? port.TargetPortName ?? (object)port.ContainerPort : port.Name,
                    });
                }
                // 2.11 authorizes no probe by itself: its pods' admin port admits the kubelet (unauthenticated).
                if (linkerd.Version < new LinkerdVersion(12) && svc.PodProbes.Any(p => p.Kind == "httpGet"))
                {
                    policies.Add(new ResolvedPortPolicy($"{svc.Name}-linkerd-admin", ns.Name, svc.Name, "linkerd-admin", 4191, selector, "HTTP/1",
                        $"policy.linkerd.io/{release.ServerApiVersion}", true, [], svc.Origin) { Unauthenticated = true });
                }
            }
        }
        return OnePerPodPort(policies);
    }

    /// <summary>One Server per pod port: Services that select the same pods on the same port (an existing Service and its
    /// headless twin, say) share one, admitting the callers of each. Linkerd refuses overlapping Servers before 2.18, and
    /// from 2.18 enforces only the oldest of them.</summary>
    private static List<ResolvedPortPolicy> OnePerPodPort(List<ResolvedPortPolicy> policies)
    {
        var merged = new List<ResolvedPortPolicy>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            var key = $"{policy.Namespace}/{string.Join(",", policy.Selector.Select(l => $"{l.Key}={l.Value}"))}/{policy.PodPort}";
            if (!index.TryGetValue(key, out var i))
            {
                index.Add(key, merged.Count);
                merged.Add(policy);
                continue;
            }
            var first = merged[i];
            merged[i] = first with
            {
                Callers = first.Callers.Concat(policy.Callers).DistinctBy(c => c.Identity).ToList(),
                // Two Services that say different things of the port: Linkerd detects the protocol.
                ProxyProtocol = first.ProxyProtocol == policy.ProxyProtocol ? first.ProxyProtocol : null,
                AlsoServes = [.. first.AlsoServes, new ServicePortRef(policy.Service, policy.ServicePort)],
            };
        }
        return merged;
    }

    /// <summary>An existing service is guarded when its base shows its pods: the Service's selector and its targetPorts (a
    /// Service without a selector selects no pods, and a Server without one would select them all).</summary>
    public static bool Guardable(ResolvedService existing) => existing.InBase == true && existing.Selector.Count > 0;

    private static ResolvedCaller Account(string identity, string why, string serviceAccount, string @namespace) =>
        new(identity, why) { RefKind = "ServiceAccount", RefName = serviceAccount, RefNamespace = @namespace };

    private static string? ProxyProtocol(string? speaks) => speaks switch
    {
        "http" => "HTTP/1",
        "http2" => "HTTP/2",
        "grpc" => "gRPC",
        "opaque" => "opaque",
        _ => null,
    };
}
