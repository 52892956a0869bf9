using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Linkerd2Gen.Kubernetes;
using Linkerd2Gen.Model;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Resolve;

/// <summary>A Service of a base: its ports and its selector.</summary>
/// <param name="Workload">The workload whose pods it selects (name and ServiceAccount), when the base has one.</param>
/// <param name="Probes">The probes of that workload's containers (a policy must not deny them).</param>
public sealed record BaseService(IReadOnlyList<ResolvedPort> Ports, IReadOnlyList<KeyValue> Selector, string? Workload, string? ServiceAccount, IReadOnlyList<PodProbe> Probes);

/// <summary>The objects of a namespace's base (its own manifests) that live in that namespace: the Services the mesh file
/// may call existing, and the workloads the bundle meshes by patches. Built once for each base of a run, where the bases
/// are read: resolving services, their calls and the calls across clusters all look their Services up here.</summary>
public sealed class BaseObjects
{
    private readonly List<JsonObject> _objects;
    private readonly Dictionary<string, BaseService> _services = new(StringComparer.Ordinal);

    private BaseObjects(List<JsonObject> objects, bool hasNamespace, bool isRead)
    {
        _objects = objects;
        HasNamespace = hasNamespace;
        IsRead = isRead;
        // Each Service worked out once (its workload, ports and probes), the first of a name as a reader takes it.
        foreach (var service in Of("Service")) _services.TryAdd(Name(service), Describe(service));
    }

    /// <param name="objects">The base's objects; null when there is no kustomization to read (the rules report it).</param>
    public static BaseObjects Of(IReadOnlyList<JsonObject>? objects, string @namespace)
    {
        static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
        var all = objects ?? [];
        var here = all.Where(o => Text(o["metadata"].Field("namespace")) is not { } ns || ns == @namespace)
            .Where(o => Text(o["kind"]) is not "Namespace").ToList();
        return new BaseObjects(here, all.Any(o => Text(o["kind"]) == "Namespace" && Text(o["metadata"].Field("name")) == @namespace), objects is not null);
    }

    public bool HasNamespace { get; }

    /// <summary>Whether the base was there to read (a kustomization folder).</summary>
    public bool IsRead { get; }

    public IReadOnlyList<string> ServiceNames => _services.Keys.Order(StringComparer.Ordinal).ToList();

    public IReadOnlyList<BaseWorkload> Workloads => _objects
        .Where(Kubernetes.Workloads.Is)
        .Select(o => (Workload: o, Pods: Kubernetes.Workloads.PodTemplate(o)))
        .Select(w => new BaseWorkload(Target(w.Workload), (w.Pods.Field("metadata").Field("annotations") as JsonObject ?? [])
            .Select(a => new KeyValue(a.Key, a.Value?.ToString() ?? "")).OrderBy(a => a.Key, StringComparer.Ordinal).ToList(),
            Linkerd.InjectRefusals.Of(w.Pods.Field("spec") as JsonObject)))
        .OrderBy(w => w.Target.Kind, StringComparer.Ordinal).ThenBy(w => w.Target.Name, StringComparer.Ordinal).ToList();

    /// <summary>A Service of the base: its ports (the pods' port from targetPort: a number, or a container port's name) and its selector.</summary>
    public BaseService? Service(string name) => _services.GetValueOrDefault(name);

    private BaseService Describe(JsonObject service)
    {
        var selector = (service["spec"].Field("selector") as JsonObject ?? []).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new KeyValue(kv.Key, kv.Value?.ToString() ?? "")).ToList();
        // The workload whose pod template carries every selector label, and its containers' ports (a name stands for a number).
        var workload = _objects.Where(Kubernetes.Workloads.Is).FirstOrDefault(o =>
            selector.Count > 0 && selector.All(l => Kubernetes.Workloads.PodTemplate(o).Field("metadata").Field("labels")?[l.Key]?.ToString() == l.Value));
        var pods = workload is null ? null : Kubernetes.Workloads.PodTemplate(workload);
        var containers = (pods.Field("spec").Field("containers") as JsonArray ?? []).OfType<JsonObject>().ToList();
        var named = containers.SelectMany(c => c["ports"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(p => p["name"] is not null && Int(p["containerPort"]) is not null)
            .GroupBy(p => p["name"]!.ToString(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => Int(g.First()["containerPort"])!.Value, StringComparer.Ordinal);
        int? PodPort(JsonNode? port) => Int(port) ?? (port?.GetValueKind() == JsonValueKind.String && named.TryGetValue(port.GetValue<string>(), out var n) ? n : null);
        var ports = (service["spec"].Field("ports") as JsonArray ?? []).OfType<JsonObject>().Select(p =>
        {
            var port = Int(p["port"]) ?? 0;
            var target = PodPort(p["targetPort"]) ?? port;
            var portName = p["name"]?.ToString() ?? $"port-{port.ToString(CultureInfo.InvariantCulture)}";
            var appProtocol = p["appProtocol"]?.ToString();
            return new ResolvedPort(portName, target, port, p["protocol"]?.ToString() ?? "TCP", appProtocol, Speaks(appProtocol), default)
            {
                TargetPortName = p["targetPort"]?.GetValueKind() == JsonValueKind.String ? p["targetPort"]!.GetValue<string>() : null,
            };
        }).ToList();
        var probes = containers.SelectMany(c => new[] { "readinessProbe", "livenessProbe", "startupProbe" }.Select(k => c[k]).OfType<JsonObject>())
            .Select(p => p["httpGet"] is JsonObject http ? new PodProbe("httpGet", PodPort(http["port"]))
                : p["tcpSocket"] is JsonObject tcp ? new PodProbe("tcpSocket", PodPort(tcp["port"]))
                : p["grpc"] is JsonObject grpc ? new PodProbe("grpc", Int(grpc["port"]))
                : null)
            .OfType<PodProbe>().ToList();
        return new BaseService(ports, selector, workload is null ? null : Name(workload),
            workload is null ? null : pods.Field("spec").Field("serviceAccountName")?.ToString() ?? "default", probes);
    }

    /// <summary>What a port speaks, read back from its Kubernetes appProtocol: only what is certain (HTTP/1, or HTTP/2 over
    /// cleartext); anything else is left to Linkerd's protocol detection.</summary>
    private static string? Speaks(string? appProtocol) => appProtocol switch
    {
        "http" => "http",
        "kubernetes.io/h2c" => "http2",
        _ => null,
    };

    private IEnumerable<JsonObject> Of(string kind) => _objects.Where(o => o["kind"]?.ToString() == kind);

    private static string Name(JsonObject o) => o["metadata"].Field("name")?.ToString() ?? "";

    private static int? Int(JsonNode? node) =>
        node?.GetValueKind() == JsonValueKind.Number && int.TryParse(node.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static ResolvedTarget Target(JsonObject o)
    {
        var (group, version) = ApiVersion.Split(o["apiVersion"]?.ToString() ?? "apps/v1");
        return new ResolvedTarget(group, version, o["kind"]!.ToString(), Name(o), o["metadata"].Field("namespace")?.ToString() ?? "");
    }
}
