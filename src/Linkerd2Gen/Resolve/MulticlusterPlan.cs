using Linkerd2Gen.Linkerd;
using Linkerd2Gen.Model;

namespace Linkerd2Gen.Resolve;

/// <summary>
/// The `linkerd multicluster` commands of the apply plan, by the cluster's Linkerd version (flags as in
/// linkerd2 multicluster/cmd/{install,link,link-gen}.go; kubectl contexts are named after the clusters).
/// </summary>
public static class MulticlusterPlan
{
    /// <summary>Installs the multicluster extension on this cluster; a gateway target keeps Emissary as its gateway.</summary>
    public static IReadOnlyList<string> InstallCommands(ResolvedMesh mesh)
    {
        if (mesh.Multicluster is not { } mc) return [];
        var flags = new List<string>();
        if (mesh.IsTarget && mc.UsesGateway) flags.Add("--gateway=false"); // Emissary is the gateway
        if (mesh.IsSource && mesh.Linkerd.Release.ControllersAtInstall)
        {
            // One service-mirror controller per link, declared at install.
            flags.AddRange(mc.Links.Select((l, i) => $"--set controllers[{i}].link.ref.name={l.Cluster}"));
        }
        var extra = flags.Count == 0 ? "" : " " + string.Join(" ", flags);
        return [$"linkerd --context={mesh.Cluster} multicluster install{extra} | kubectl --context={mesh.Cluster} apply -f -"];
    }

    /// <summary>Links this (source) cluster to each target: the command reads the target and applies here.</summary>
    public static IReadOnlyList<string> LinkCommands(ResolvedMesh mesh)
    {
        if (mesh.Multicluster is not { } mc || !mesh.IsSource) return [];
        var release = mesh.Linkerd.Release;
        return mc.Links.Select(link =>
        {
            var flags = $"--cluster-name={link.Cluster}";
            if (release.RemoteDiscovery && link.GatewayLess)
            {
                flags += " --gateway=false";
            }
            else if (release.ExportStyle == ExportStyle.ExportedLabel)
            {
                // 2.8 found the gateway through each exported service's annotations; 2.9+ through the Link.
                flags += $" --gateway-name={link.GatewayName ?? "<gateway-name>"} --gateway-namespace={link.GatewayNamespace ?? "<gateway-namespace>"}";
            }
            return $"linkerd --context={link.Cluster} multicluster {release.LinkVerb} {flags} | kubectl --context={mesh.Cluster} apply -f -";
        }).ToList();
    }
}
