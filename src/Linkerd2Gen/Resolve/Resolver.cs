using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Linkerd2Gen.Model;

namespace Linkerd2Gen.Resolve;

/// <summary>
/// Input (validated) → the fully defaulted model. Derived values — identities, skip lists, service
/// addresses, patch operations — are computed here once, so every file of the bundle agrees.
/// </summary>
public static class Resolver
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "linkerd2gen";

    public static ResolvedMesh Resolve(MeshInput mesh, string sourceFile)
    {
        var version = Defaults.Version(mesh);
        var linkerd = new ResolvedLinkerd(version,
            mesh.Linkerd?.ControlPlaneNamespace ?? Defaults.ControlPlaneNamespace,
            mesh.Linkerd?.TrustDomain ?? Defaults.TrustDomain);
        var role = Defaults.Role(mesh);
        var multicluster = ResolveMulticluster(mesh, role);
        var gateway = ResolveGateway(mesh, sourceFile, linkerd, role, multicluster);

        var namespaces = (mesh.Namespaces ?? [])
            .Select(n => new ResolvedNamespace(n.Name, n.Create ?? true, NamespaceAnnotations(n)))
            .ToList();

        var workloads = new List<ResolvedWorkload>();
        var services = new List<ResolvedService>();
        var mappings = new List<ResolvedMapping>();
        foreach (var ns in mesh.Namespaces ?? [])
        {
            foreach (var svc in ns.Services ?? [])
            {
                var ports = Defaults.ServicePorts(svc);
                var existing = svc.Existing ?? false;
                if (!existing)
                {
                    workloads.Add(ResolveWorkload(ns, svc, ports));
                }
                services.Add(ResolveService(ns, svc, ports, existing, version, gateway));
                for (var i = 0; i < (svc.Routes?.Count ?? 0); i++)
                {
                    mappings.Add(ResolveRoute(ns, svc, i, ports, gateway));
                }
            }
        }
        mappings.AddRange(RemoteMappings(multicluster, gateway));

        var listeners = mesh.Gateway?.Listeners ?? true
            ? gateway.Ports.Select(p => new ResolvedListener($"{gateway.Name}-{p.Name}-listener", gateway.Namespace, p.TargetPort, p.Protocol, gateway.AmbassadorId)).ToList()
            : [];

        var hosts = (mesh.Gateway?.Hosts ?? []).Select(h => new ResolvedHost(
            Defaults.HostName(h), gateway.Namespace, h.Hostname, h.Acme ?? "none", Defaults.HostInsecure(mesh, h),
            h.TlsSecret?.Name, h.TlsSecret?.Namespace, gateway.AmbassadorId)).ToList();

        var patches = new List<ResolvedPatch> { GatewayDeploymentPatch(gateway) };
        if (gateway.LinkerdHeaders == "module")
        {
            patches.Add(new ResolvedPatch("ambassador-module.json",
                "sets add_linkerd_headers in the gateway's ambassador Module",
                new ResolvedTarget("getambassador.io", "v3alpha1", "Module", "ambassador", gateway.Namespace),
                [new PatchOperation("add", "/spec/config/add_linkerd_headers", "true")]));
        }
        patches.AddRange(services.Where(s => s.Existing && s.Export is not null).Select(ExportPatch));

        return new ResolvedMesh(mesh.Metadata.Name, sourceFile, linkerd, gateway, role,
            namespaces, workloads, services, mappings, listeners, hosts, patches, multicluster);
    }

    private static ResolvedMulticluster? ResolveMulticluster(MeshInput mesh, MulticlusterRole role)
    {
        if (role == MulticlusterRole.None)
        {
            return null;
        }
        var mc = mesh.Multicluster!;
        var remotes = (mc.Remotes ?? []).Select(r => new ResolvedRemote(
            r.Cluster, r.Namespace, r.Service, $"{r.Service}-{r.Cluster}", r.Port ?? 80, r.Prefix)).ToList();
        return new ResolvedMulticluster(
            mc.GatewayPort ?? Defaults.GatewayPort,
            mc.Probe?.Path ?? Defaults.ProbePath,
            mc.Probe?.Period ?? Defaults.ProbePeriod,
            mc.Probe?.Port ?? Defaults.ProbePort,
            mc.RequireIdentityOnInboundPorts is { } ports ? ports.Select(PortText).ToList() : [Defaults.GatewayPort.ToString(CultureInfo.InvariantCulture)],
            remotes);
    }

    private static ResolvedGateway ResolveGateway(MeshInput mesh, string sourceFile, ResolvedLinkerd linkerd, MulticlusterRole role, ResolvedMulticluster? mc)
    {
        var g = mesh.Gateway;
        var name = Defaults.GatewayName(g);
        var ns = Defaults.GatewayNamespace(g);
        var sa = g?.ServiceAccount ?? name;
        var ports = Defaults.GatewayPorts(g);
        var injectMode = g?.InjectMode ?? "enabled";

        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [ProxySettings.InjectAnnotation] = injectMode,
            [ProxySettings.SkipInboundPorts.Annotation] = g?.SkipInboundPorts is { } skip
                ? ProxySettings.PortList(skip.Select(PortText))
                : ProxySettings.PortList(ports.Select(p => p.TargetPort).Distinct()),
        };
        foreach (var kv in ProxyAnnotations(g?.Proxy))
        {
            annotations[kv.Key] = kv.Value;
        }
        if (role is MulticlusterRole.Source or MulticlusterRole.Both)
        {
            annotations[ProxySettings.RequireIdentityOnInboundPorts.Annotation] = ProxySettings.PortList(mc!.RequireIdentityOnInboundPorts);
        }
        if (role is MulticlusterRole.Target or MulticlusterRole.Both)
        {
            annotations[ProxySettings.EnableGatewayAnnotation] = "true";
        }

        return new ResolvedGateway(
            Defaults.Flavor(g), name, ns, sa, g?.AdminPort ?? Defaults.AdminPort, ports, injectMode,
            g?.LinkerdHeaders ?? "mappings", g?.AmbassadorId ?? [], linkerd.IdentityOf(sa, ns),
            annotations.Select(kv => new KeyValue(kv.Key, kv.Value)).ToList(),
            g?.Base is null ? null : GatewayBase.FullPath(sourceFile, g.Base));
    }

    private static IReadOnlyList<KeyValue> NamespaceAnnotations(NamespaceInput ns)
    {
        var annotations = ProxyAnnotations(ns.Proxy).ToList();
        if (ns.Inject is not null)
        {
            annotations.Add(new KeyValue(ProxySettings.InjectAnnotation, ns.Inject));
        }
        return annotations.OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>The config.linkerd.io annotations of a `proxy:` block, sorted by key.</summary>
    public static IEnumerable<KeyValue> ProxyAnnotations(JsonObject? proxy) =>
        (proxy ?? [])
            .Where(p => p.Value is not null)
            .Select(p =>
            {
                var setting = ProxySettings.ForField(p.Key);
                return new KeyValue(setting.Annotation, setting.Format(p.Value!));
            })
            .OrderBy(a => a.Key, StringComparer.Ordinal);

    private static ResolvedWorkload ResolveWorkload(NamespaceInput ns, ServiceInput svc, IReadOnlyList<ResolvedPort> ports)
    {
        var env = (svc.Env ?? []).Select(e => ResolveEnv(e.Key, e.Value)).ToList();
        return new ResolvedWorkload(
            Defaults.WorkloadName(svc), ns.Name, svc.Name, svc.Image ?? "", svc.Replicas ?? 1, svc.ServiceAccount,
            svc.Command ?? [], svc.Args ?? [], ports, env,
            ResolveProbe(svc.Readiness, ports), ResolveProbe(svc.Liveness, ports),
            ResourceList(svc.Resources?.Limits), ResourceList(svc.Resources?.Requests),
            ProxyAnnotations(svc.Proxy).ToList());
    }

    private static ResolvedEnv ResolveEnv(string name, JsonNode? value) => value switch
    {
        JsonObject { } o when o["fieldRef"] is { } f => new(name, null, f.GetValue<string>(), null, null, null),
        JsonObject { } o when o["secretKeyRef"] is JsonObject s => new(name, null, null, s["name"]!.GetValue<string>(), null, s["key"]!.GetValue<string>()),
        JsonObject { } o when o["configMapKeyRef"] is JsonObject c => new(name, null, null, null, c["name"]!.GetValue<string>(), c["key"]!.GetValue<string>()),
        null => new(name, "", null, null, null, null),
        _ => new(name, ScalarText(value), null, null, null, null),
    };

    private static ResolvedProbe? ResolveProbe(ProbeInput? probe, IReadOnlyList<ResolvedPort> ports)
    {
        if (probe is null)
        {
            return null;
        }
        string? portName = null;
        int? portNumber = null;
        switch (probe.Port)
        {
            case null:
                portName = ports.Count > 0 ? ports[0].Name : null;
                break;
            case var p when p.GetValueKind() == JsonValueKind.Number:
                portNumber = p.GetValue<int>();
                break;
            case var p:
                portName = p.GetValue<string>();
                break;
        }
        return new ResolvedProbe(probe.Path, portName, portNumber, probe.InitialDelaySeconds, probe.PeriodSeconds, probe.TimeoutSeconds, probe.FailureThreshold);
    }

    private static IReadOnlyList<KeyValue> ResourceList(ResourceListInput? list)
    {
        var items = new List<KeyValue>();
        if (list?.Cpu is { } cpu) items.Add(new("cpu", ScalarText(cpu)));
        if (list?.Memory is { } memory) items.Add(new("memory", ScalarText(memory)));
        return items;
    }

    private static ResolvedService ResolveService(NamespaceInput ns, ServiceInput svc, IReadOnlyList<ResolvedPort> ports, bool existing, LinkerdVersion version, ResolvedGateway gateway)
    {
        var export = svc.Export switch
        {
            null => null,
            var e when e.GetValueKind() == JsonValueKind.True => "true",
            var e when e.GetValueKind() == JsonValueKind.False => null,
            var e => e.GetValue<string>(),
        };
        var labels = new List<KeyValue>();
        var annotations = new List<KeyValue>();
        switch (export)
        {
            case "true" when version < new LinkerdVersion(9):
                // Linkerd 2.8 read the gateway from two annotations; they must name the real gateway.
                annotations.Add(new("mirror.linkerd.io/gateway-name", gateway.Name));
                annotations.Add(new("mirror.linkerd.io/gateway-ns", gateway.Namespace));
                break;
            case "true":
                labels.Add(new("mirror.linkerd.io/exported", "true"));
                break;
            case "remote-discovery":
                labels.Add(new("mirror.linkerd.io/exported", "remote-discovery"));
                break;
            case "federated":
                labels.Add(new("mirror.linkerd.io/federated", "member"));
                break;
        }
        return new ResolvedService(svc.Name, ns.Name, Defaults.WorkloadName(svc), existing, ports, labels, annotations, export);
    }

    private static ResolvedMapping ResolveRoute(NamespaceInput ns, ServiceInput svc, int index, IReadOnlyList<ResolvedPort> ports, ResolvedGateway gateway)
    {
        var route = svc.Routes![index];
        var port = route.Port ?? (ports.Count > 0 ? ports[0].ServicePort : 80);
        return new ResolvedMapping(
            Defaults.RouteName(svc, index), ns.Name, route.Prefix, route.Hostname ?? Defaults.RouteHostname,
            // Namespace-qualified with its port: unambiguous whatever namespace Emissary runs in.
            $"{svc.Name}.{ns.Name}:{port.ToString(CultureInfo.InvariantCulture)}",
            route.Rewrite, gateway.LinkerdHeaders == "mappings", gateway.InjectMode == "ingress", false,
            route.TimeoutMs, gateway.AmbassadorId, $"route {index + 1} of service {ns.Name}/{svc.Name}");
    }

    private static IEnumerable<ResolvedMapping> RemoteMappings(ResolvedMulticluster? mc, ResolvedGateway gateway) =>
        (mc?.Remotes ?? []).Select(r => new ResolvedMapping(
            r.Mirror, r.Namespace, r.Prefix, Defaults.RouteHostname, $"{r.Mirror}.{r.Namespace}:{r.Port.ToString(CultureInfo.InvariantCulture)}",
            null, gateway.LinkerdHeaders == "mappings", gateway.InjectMode == "ingress", false, null, gateway.AmbassadorId,
            $"service {r.Namespace}/{r.Service} of linked cluster {r.Cluster}, mirrored as {r.Mirror}"));

    private static ResolvedPatch GatewayDeploymentPatch(ResolvedGateway gateway) => new(
        "gateway-deployment.json",
        "meshes the gateway Deployment with Linkerd (pod-template annotations, as `linkerd inject` writes them)",
        new ResolvedTarget("apps", "v1", "Deployment", gateway.Name, gateway.Namespace),
        gateway.PodAnnotations.Select(a => new PatchOperation("add",
            "/spec/template/metadata/annotations/" + EscapePointer(a.Key), JsonString(a.Value))).ToList());

    private static ResolvedPatch ExportPatch(ResolvedService svc) => new(
        $"export-{svc.Namespace}-{svc.Name}.json",
        $"exports the existing service {svc.Namespace}/{svc.Name} to linked clusters",
        new ResolvedTarget("", "v1", "Service", svc.Name, svc.Namespace),
        svc.Labels.Select(l => new PatchOperation("add", "/metadata/labels/" + EscapePointer(l.Key), JsonString(l.Value)))
            .Concat(svc.Annotations.Select(a => new PatchOperation("add", "/metadata/annotations/" + EscapePointer(a.Key), JsonString(a.Value))))
            .ToList());

    public static string EscapePointer(string segment) => segment.Replace("~", "~0").Replace("/", "~1");

    private static string JsonString(string value) => JsonValue.Create(value).ToJsonString();

    private static string PortText(JsonNode node) => ScalarText(node);

    private static string ScalarText(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
}
