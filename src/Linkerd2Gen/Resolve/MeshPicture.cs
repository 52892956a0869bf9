using System.Globalization;
using System.Text;
using Linkerd2Gen.Model;

namespace Linkerd2Gen.Resolve;

/// <summary>Builds MESH.md's picture and access table from the resolved model.</summary>
public static class MeshPicture
{
    public static ResolvedPicture Of(ResolvedMesh mesh)
    {
        // kind_part_part, every character of a part that Mermaid would not take in an id as '_' (one per node and edge end).
        static string Id(string kind, params string[] parts)
        {
            var id = new System.Text.StringBuilder(kind, kind.Length + 32);
            foreach (var part in parts)
            {
                id.Append('_');
                foreach (var c in part) id.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
            }
            return id.ToString();
        }
        // Lookups by key, not scans: at fleet scale (10,000 services) a scan per service is quadratic.
        var nodes = new List<PictureNode>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        void AddNode(PictureNode node)
        {
            if (ids.Add(node.Id)) nodes.Add(node);
        }
        var edges = new List<PictureEdge>();
        var gateway = Id("gw", mesh.Gateway.Namespace, mesh.Gateway.Name);
        AddNode(new PictureNode("clients", "clients", null, true));
        AddNode(new PictureNode(gateway, $"{mesh.Gateway.Name} (gateway)", null, false));
        var hosts = mesh.Hosts.Count == 0 ? "*" : string.Join(", ", mesh.Hosts.Select(h => h.Hostname));
        edges.Add(new PictureEdge("clients", gateway, hosts, false));
        foreach (var svc in mesh.Services.Where(s => s.Existing || s.HasService))
        {
            AddNode(new PictureNode(Id("svc", svc.Namespace, svc.Name), svc.Existing ? $"{svc.Name} (existing)" : svc.Name, svc.Namespace, false));
            foreach (var route in svc.Routes)
            {
                edges.Add(new PictureEdge(gateway, Id("svc", svc.Namespace, svc.Name), $"{route.Hostname} {route.Prefix} :{route.Port.ToString(CultureInfo.InvariantCulture)}", false));
            }
        }
        var serviceAt = mesh.Services.GroupBy(s => s.Origin.Pointer, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var workload in mesh.Workloads.Where(w => serviceAt.GetValueOrDefault(w.Origin.Pointer) is { HasService: false }))
        {
            AddNode(new PictureNode(Id("svc", workload.Namespace, workload.Service), $"{workload.Name} (no Service)", workload.Namespace, false));
        }
        var workloadService = mesh.Workloads.GroupBy(w => (w.Namespace, w.Name)).ToDictionary(g => g.Key, g => g.First().Service);
        var existingService = mesh.Services.Where(s => s.Existing).GroupBy(s => (s.Namespace, s.Workload)).ToDictionary(g => g.Key, g => g.First().Name);
        foreach (var call in mesh.Calls.Where(c => c.Found))
        {
            // The caller: a workload the bundle renders, or an existing service's workload (in its namespace's base).
            var service = workloadService.GetValueOrDefault((call.FromNamespace, call.FromWorkload))
                ?? existingService.GetValueOrDefault((call.FromNamespace, call.FromWorkload));
            if (service is null) continue;
            var from = Id("svc", call.FromNamespace, service);
            if (call.Cluster is null)
            {
                // A service only the namespace's base declares gets its node here.
                var to = Id("svc", call.Namespace, call.Service);
                AddNode(new PictureNode(to, $"{call.Service} (base)", call.Namespace, false));
                edges.Add(new PictureEdge(from, to, "calls", false));
            }
            else
            {
                var remote = Id("remote", call.Cluster, call.Namespace, call.Service);
                AddNode(new PictureNode(remote, $"{call.Service} @ {call.Cluster}", null, true));
                edges.Add(new PictureEdge(from, remote, "calls", true));
            }
        }
        foreach (var svc in mesh.Services.Where(s => s.Export is not null))
        {
            var linked = "linked_clusters";
            AddNode(new PictureNode(linked, "linked clusters", null, true));
            edges.Add(new PictureEdge(Id("svc", svc.Namespace, svc.Name), linked, $"exported ({svc.Export!.Value.Value()})", true));
        }
        foreach (var remote in mesh.Multicluster?.Remotes ?? [])
        {
            var id = Id("remote", remote.Cluster, remote.Namespace, remote.Service);
            AddNode(new PictureNode(id, $"{remote.Service} @ {remote.Cluster}", null, true));
            edges.Add(new PictureEdge(gateway, id, $"{remote.Prefix} (mirror {remote.Mirror})", true));
        }
        var policed = new Dictionary<(string Namespace, string Service, int Port), ResolvedPortPolicy>();
        foreach (var p in mesh.Policies)
        {
            foreach (var served in p.AlsoServes.Prepend(new ServicePortRef(p.Service, p.ServicePort))) policed.TryAdd((p.Namespace, served.Service, served.Port), p);
        }
        var access = mesh.Services.SelectMany(s => s.Ports.Select(p => new AccessRow(s.Namespace, s.Name, p.ServicePort, p.Name,
            policed.TryGetValue((s.Namespace, s.Name, p.ServicePort), out var policy)
                ? policy.Callers.Count == 0 ? "nobody" : string.Join("; ", policy.Callers.Select(c => $"`{c.Identity}` ({c.Why})"))
                : "any client (no policy here)"))).ToList();
        return new ResolvedPicture(nodes, edges, nodes.Select(n => n.Group).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList(), access);
    }
}
