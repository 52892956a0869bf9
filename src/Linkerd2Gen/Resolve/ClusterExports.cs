using Linkerd2Gen.Model;

namespace Linkerd2Gen.Resolve;

/// <summary>A service one cluster exports to linked clusters.</summary>
public sealed record ExportedService(string Namespace, string Name, ExportMode Mode, int? Port)
{
    /// <summary>The name of its mirror in a linked cluster (facts/linkerd.md §4).</summary>
    public string MirrorIn(string exportingCluster) => Mode == ExportMode.Federated ? $"{Name}-federated" : $"{Name}-{exportingCluster}";
}

/// <summary>What other clusters of the same run need to know of a cluster: its gateway and its exports.</summary>
public sealed record ClusterExports(string Cluster, string File, MulticlusterRole Role, string GatewayName, string GatewayNamespace, IReadOnlyList<ExportedService> Services)
{
    public static ClusterExports Of(MeshInput mesh, string file) => new(
        mesh.Metadata.Name, file, Defaults.Role(mesh), Defaults.GatewayName(mesh.Gateway), Defaults.GatewayNamespace(mesh.Gateway),
        (mesh.Namespaces ?? []).SelectMany(ns => (ns.Services ?? [])
            .Where(s => Defaults.ExportOf(s) is not null)
            .Select(s => new ExportedService(ns.Name, s.Name, Defaults.ExportOf(s)!.Value, s.Ports is [var first, ..] ? Defaults.ServicePort(first) : null)))
            .ToList());

    public bool IsTarget => Defaults.IsTarget(Role);

    public ExportedService? Find(string @namespace, string service) =>
        Services.FirstOrDefault(s => s.Namespace == @namespace && s.Name == service);
}
