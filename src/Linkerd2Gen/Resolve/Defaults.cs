using Linkerd2Gen.Linkerd;
using Linkerd2Gen.Model;

namespace Linkerd2Gen.Resolve;

/// <summary>The documented defaults of the input contract (DESIGN.md §3): the resolver's, and no one else's.</summary>
public static class Defaults
{
    public const string ControlPlaneNamespace = "linkerd";
    public const string TrustDomain = "cluster.local";
    public const int AdminPort = 8877;
    public const int GatewayPort = 4143;
    public const string ProbePath = "/-/ambassador/ready";
    public const int ProbePeriod = 3;
    public const int ProbePort = 80;
    public const string RouteHostname = "*";

    public static LinkerdVersion Version(MeshInput mesh) => mesh.Linkerd?.Version is { } text ? LinkerdVersion.Parse(text) : LinkerdReleases.Latest;

    public static GatewayFlavor Flavor(GatewayInput? g) => g?.Flavor == "edge-stack" ? GatewayFlavor.EdgeStack : GatewayFlavor.Emissary;
    public static string GatewayName(GatewayInput? g) => g?.Name ?? (Flavor(g) == GatewayFlavor.EdgeStack ? "edge-stack" : "emissary-ingress");
    public static string GatewayNamespace(GatewayInput? g) => g?.Namespace ?? (Flavor(g) == GatewayFlavor.EdgeStack ? "ambassador" : "emissary");

    public static MulticlusterRole Role(MeshInput mesh) => mesh.Multicluster?.Role switch
    {
        "source" => MulticlusterRole.Source,
        "target" => MulticlusterRole.Target,
        "both" => MulticlusterRole.Both,
        _ => MulticlusterRole.None,
    };

    public static bool IsTarget(MulticlusterRole role) => role is MulticlusterRole.Target or MulticlusterRole.Both;

    public static bool IsSource(MulticlusterRole role) => role is MulticlusterRole.Source or MulticlusterRole.Both;

    /// <summary>A target whose exports go through the gateway: any `export: true`, or nothing exported yet.
    /// Gateway-less exports (remote-discovery, federated) need no gateway at all.</summary>
    public static bool UsesGateway(MeshInput mesh)
    {
        if (!IsTarget(Role(mesh))) return false;
        var modes = (mesh.Namespaces ?? []).SelectMany(n => n.Services ?? []).Select(ExportOf).OfType<ExportMode>().ToList();
        return modes.Count == 0 || modes.Contains(ExportMode.Gateway);
    }

    public static ExportMode? ExportOf(ServiceInput s) => s.Export switch
    {
        null => null,
        var e when e.GetValueKind() == System.Text.Json.JsonValueKind.True => ExportMode.Gateway,
        var e when e.GetValueKind() == System.Text.Json.JsonValueKind.False => null,
        var e => e.GetValue<string>() == "remote-discovery" ? ExportMode.RemoteDiscovery : ExportMode.Federated,
    };

    public static InsecureAction HostInsecure(MeshInput mesh, HostInput host) => host.Insecure switch
    {
        "Route" => InsecureAction.Route,
        "Redirect" => InsecureAction.Redirect,
        "Reject" => InsecureAction.Reject,
        _ => IsTarget(Role(mesh)) ? InsecureAction.Route : InsecureAction.Redirect,
    };

    public static string WorkloadName(ServiceInput s) => s.Workload ?? s.Name;

    /// <summary>The pods' ServiceAccount: named (string or {name}), else one named as the workload.</summary>
    public static string ServiceAccount(ServiceInput s) => s.ServiceAccount switch
    {
        System.Text.Json.Nodes.JsonObject o => o["name"]!.GetValue<string>(),
        { } name => name.GetValue<string>(),
        null => WorkloadName(s),
    };

    /// <summary>The bundle creates it, unless it is {name, create: false}.</summary>
    public static bool CreatesServiceAccount(ServiceInput s) =>
        s.ServiceAccount is not System.Text.Json.Nodes.JsonObject o || o["create"]?.GetValue<bool>() != false;

    /// <summary>The labels that select the workload's pods [app: &lt;workload&gt;], sorted.</summary>
    public static IReadOnlyList<Kubernetes.KeyValue> Selector(ServiceInput s) =>
        s.Selector is { Count: > 0 } selector
            ? selector.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new Kubernetes.KeyValue(kv.Key, kv.Value)).ToList()
            : [new("app", WorkloadName(s))];

    public static string HeadlessServiceName(ServiceInput s) => $"{s.Name}-headless";

    /// <summary>A port's Service appProtocol, in Kubernetes' names: HTTP/2 and gRPC over cleartext are kubernetes.io/h2c.</summary>
    public static string? KubernetesAppProtocol(string? speaks) => speaks switch
    {
        "http" => "http",
        "http2" or "grpc" => "kubernetes.io/h2c",
        "opaque" or "tcp" => "tcp",
        _ => null,
    };

    public static int ContainerPort(ServicePortInput p) => p.ContainerPort ?? p.ServicePort ?? 0;
    public static int ServicePort(ServicePortInput p) => p.ServicePort ?? p.ContainerPort ?? 0;

    public static string RouteName(ServiceInput s, int index) =>
        s.Routes![index].Name ?? (index == 0 ? s.Name : $"{s.Name}-{index + 1}");

    /// <summary>A Host's object name from its hostname: "*.example.com" → "wildcard-example-com".</summary>
    public static string HostName(HostInput h)
    {
        if (h.Name is not null) return h.Name;
        var name = h.Hostname.ToLowerInvariant().Replace("*", "wildcard").Replace('.', '-').Replace(':', '-');
        name = new string(name.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').ToArray()).Trim('-');
        return name.Length > 63 ? name[..63].TrimEnd('-') : name;
    }
}
