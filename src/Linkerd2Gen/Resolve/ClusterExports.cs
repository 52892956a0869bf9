using System.Text.Json;
using Linkerd2Gen.Model;

namespace Linkerd2Gen.Resolve;

/// <summary>A service one cluster exports to linked clusters; Mode is true | remote-discovery | federated.</summary>
public sealed record ExportedService(string Namespace, string Name, string Mode, int? Port)
{
    /// <summary>The name of its mirror in a linked cluster (facts/linkerd.md §4).</summary>
    public string MirrorIn(string exportingCluster) => Mode == "federated" ? $"{Name}-federated" : $"{Name}-{exportingCluster}";
}

/// <summary>What other clusters of the same run need to know of a cluster: its gateway and its exports.</summary>
public sealed record ClusterExports(string Cluster, string File, MulticlusterRole Role, string GatewayName, string GatewayNamespace, IReadOnlyList<ExportedService> Services)
{
    public static ClusterExports Of(MeshInput mesh, string file) => new(
        mesh.Metadata.Name, file, Defaults.Role(mesh), Defaults.GatewayName(mesh.Gateway), Defaults.GatewayNamespace(mesh.Gateway),
        (mesh.Namespaces ?? []).SelectMany(ns => (ns.Services ?? [])
            .Where(s => s.Export is { } e && e.GetValueKind() != JsonValueKind.False)
            .Select(s => new ExportedService(ns.Name, s.Name, ExportMode(s)!, Defaults.ServicePorts(s).FirstOrDefault()?.ServicePort)))
            .ToList());

    public static string? ExportMode(ServiceInput s) => s.Export switch
    {
        null => null,
        var e when e.GetValueKind() == JsonValueKind.True => "true",
        var e when e.GetValueKind() == JsonValueKind.False => null,
        var e => e.GetValue<string>(),
    };

    public bool IsTarget => Role is MulticlusterRole.Target or MulticlusterRole.Both;

    public ExportedService? Find(string @namespace, string service) =>
        Services.FirstOrDefault(s => s.Namespace == @namespace && s.Name == service);
}
