using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Model;
using Linkerd2Gen.Resolve;

namespace Linkerd2Gen.Rules;

/// <summary>Rules across the files of one run: every remote names a service its cluster really exports.</summary>
public static class CrossClusterRules
{
    public static void Check(IReadOnlyList<(MeshInput Input, SourceMap Map)> meshes, IReadOnlyDictionary<string, ClusterExports> clusters, DiagnosticBag diagnostics)
    {
        foreach (var (input, map) in meshes)
        {
            var remotes = input.Multicluster?.Remotes ?? [];
            for (var i = 0; i < remotes.Count; i++)
            {
                var remote = remotes[i];
                var at = $"/multicluster/remotes/{i}";
                if (!clusters.TryGetValue(remote.Cluster, out var target))
                {
                    diagnostics.Add(DiagnosticCatalog.RemoteClusterNotInRun(map.Value(at + "/cluster"), remote.Cluster));
                    continue;
                }
                if (target.Find(remote.Namespace, remote.Service) is null)
                {
                    diagnostics.Add(DiagnosticCatalog.RemoteNotExported(map.Value(at + "/service"), remote.Service, remote.Namespace, remote.Cluster, target.File));
                }
                else if (!target.IsTarget)
                {
                    diagnostics.Add(DiagnosticCatalog.RemoteClusterNotTarget(map.Value(at + "/cluster"), remote.Cluster, target.Role.ToString().ToLowerInvariant(), target.File));
                }
            }
        }
    }
}
