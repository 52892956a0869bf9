using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Model;
using Linkerd2Gen.Resolve;

namespace Linkerd2Gen.Rules;

/// <summary>Rules across the files of one run: one file per cluster, and every remote names a service its cluster really exports.</summary>
public static class CrossClusterRules
{
    public static void Check(IReadOnlyList<ResolvedMesh> meshes, IReadOnlyDictionary<string, ClusterExports> clusters, DiagnosticBag diagnostics)
    {
        var seen = new Dictionary<string, ResolvedMesh>(StringComparer.Ordinal);
        foreach (var mesh in meshes)
        {
            if (seen.TryGetValue(mesh.Cluster, out var first))
            {
                diagnostics.Add(DiagnosticCatalog.DuplicateCluster(mesh.Origin.At("/metadata/name"), mesh.Cluster, first.Origin.At("/metadata/name")));
            }
            else
            {
                seen[mesh.Cluster] = mesh;
            }
            foreach (var remote in mesh.Multicluster?.Remotes ?? [])
            {
                if (!clusters.TryGetValue(remote.Cluster, out var target))
                {
                    diagnostics.Add(DiagnosticCatalog.RemoteClusterNotInRun(remote.Origin.At("/cluster"), remote.Cluster));
                    continue;
                }
                if (target.Find(remote.Namespace, remote.Service) is null)
                {
                    diagnostics.Add(DiagnosticCatalog.RemoteNotExported(remote.Origin.At("/service"), remote.Service, remote.Namespace, remote.Cluster, target.File));
                }
                else if (!target.IsTarget)
                {
                    diagnostics.Add(DiagnosticCatalog.RemoteClusterNotTarget(remote.Origin.At("/cluster"), remote.Cluster, target.Role.Value(), target.File));
                }
            }
        }
    }
}
