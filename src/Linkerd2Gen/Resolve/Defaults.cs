using Linkerd2Gen.Linkerd;
using Linkerd2Gen.Model;

namespace Linkerd2Gen.Resolve;

/// <summary>The documented defaults of the input contract (DESIGN.md §3), shared by the rules and the resolver.</summary>
public static class Defaults
{
    public const string LinkerdVersion = "2.18";
    public const string ControlPlaneNamespace = "linkerd";
    public const string TrustDomain = "cluster.local";
    public const int AdminPort = 8877;
    public const int GatewayPort = 4143;
    public const string ProbePath = "/-/ambassador/ready";
    public const int ProbePeriod = 3;
    public const int ProbePort = 80;
    public const string RouteHostname = "*";

    public static LinkerdVersion Version(MeshInput mesh) => Linkerd.LinkerdVersion.Parse(mesh.Linkerd?.Version ?? LinkerdVersion);

    public static string Flavor(GatewayInput? g) => g?.Flavor ?? "emissary";
    public static string GatewayName(GatewayInput? g) => g?.Name ?? (Flavor(g) == "edge-stack" ? "edge-stack" : "emissary-ingress");
    public static string GatewayNamespace(GatewayInput? g) => g?.Namespace ?? (Flavor(g) == "edge-stack" ? "ambassador" : "emissary");

    public static IReadOnlyList<ResolvedGatewayPort> GatewayPorts(GatewayInput? g) =>
        g?.Ports is { Count: > 0 } ports
            ? ports.Select(p =>
            {
                var name = p.Name ?? p.Port switch { 80 => "http", 443 => "https", _ => $"port-{p.Port}" };
                var protocol = p.Protocol ?? (name == "https" || p.Port == 443 ? "HTTPS" : "HTTP");
                return new ResolvedGatewayPort(name, p.Port, p.TargetPort ?? p.Port, protocol);
            }).ToList()
            : [new("http", 80, 8080, "HTTP"), new("https", 443, 8443, "HTTPS")];

    public static MulticlusterRole Role(MeshInput mesh) => mesh.Multicluster?.Role switch
    {
        "source" => MulticlusterRole.Source,
        "target" => MulticlusterRole.Target,
        "both" => MulticlusterRole.Both,
        _ => MulticlusterRole.None,
    };

    /// <summary>A target whose exports go through the gateway: any `export: true`, or nothing exported yet.
    /// Gateway-less exports (remote-discovery, federated) need no gateway at all.</summary>
    public static bool UsesGateway(MeshInput mesh)
    {
        if (Role(mesh) is not (MulticlusterRole.Target or MulticlusterRole.Both)) return false;
        var modes = (mesh.Namespaces ?? []).SelectMany(n => n.Services ?? []).Select(ClusterExports.ExportMode).OfType<string>().ToList();
        return modes.Count == 0 || modes.Contains("true");
    }

    public static string HostInsecure(MeshInput mesh, HostInput host) =>
        host.Insecure ?? (Role(mesh) is MulticlusterRole.Target or MulticlusterRole.Both ? "Route" : "Redirect");

    public static string WorkloadName(ServiceInput s) => s.Workload ?? s.Name;

    public static IReadOnlyList<ResolvedPort> ServicePorts(ServiceInput s) =>
        (s.Ports ?? []).Select(p =>
        {
            var container = p.ContainerPort ?? p.ServicePort ?? 0;
            var service = p.ServicePort ?? p.ContainerPort ?? 0;
            return new ResolvedPort(p.Name ?? $"port-{service}", container, service, p.Protocol ?? "TCP");
        }).ToList();

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
