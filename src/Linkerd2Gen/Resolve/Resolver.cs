using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using Linkerd2Gen.Kubernetes;
using Linkerd2Gen.Linkerd;
using Linkerd2Gen.Model;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Resolve;

/// <summary>
/// Input (validated) → the fully defaulted model. Derived values — identities, skip lists, service
/// addresses, patch operations — are computed here once, so every file of the bundle agrees.
/// </summary>
public static class Resolver
{
    /// <param name="others">The other clusters of the run, by name: remotes resolve against their exports.</param>
    /// <param name="shape">Which maps the installed gateway has, for patches that add keys to them.</param>
    public static ResolvedMesh Resolve(MeshInput mesh, string sourceFile, IReadOnlyDictionary<string, ClusterExports>? others = null, GatewayShape? shape = null)
    {
        shape ??= GatewayShape.Official;
        var version = Defaults.Version(mesh);
        var linkerd = new ResolvedLinkerd(version,
            mesh.Linkerd?.ControlPlaneNamespace ?? Defaults.ControlPlaneNamespace,
            mesh.Linkerd?.TrustDomain ?? Defaults.TrustDomain);
        var role = Defaults.Role(mesh);
        var multicluster = ResolveMulticluster(mesh, role, others ?? new Dictionary<string, ClusterExports>());
        var gateway = ResolveGateway(mesh, sourceFile, linkerd, multicluster);

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
        if (multicluster?.UsesGateway == true)
        {
            mappings.Add(ProbeMapping(multicluster, gateway));
        }

        var listeners = mesh.Gateway?.Listeners ?? true
            ? gateway.Ports.Select(p => new ResolvedListener($"{gateway.Name}-{p.Name}-listener", gateway.Namespace, p.TargetPort, p.Protocol, gateway.AmbassadorId)).ToList()
            : [];

        var hosts = (mesh.Gateway?.Hosts ?? []).Select(h => new ResolvedHost(
            Defaults.HostName(h), gateway.Namespace, h.Hostname, h.Acme ?? "none", Defaults.HostInsecure(mesh, h),
            h.TlsSecret?.Name, h.TlsSecret?.Namespace, gateway.AmbassadorId)).ToList();

        var patches = new List<ResolvedPatch> { GatewayDeploymentPatch(gateway, shape) };
        if (multicluster?.UsesGateway == true)
        {
            patches.Add(GatewayServicePatch(gateway, linkerd, multicluster, shape));
        }
        if (gateway.LinkerdHeaders == "module")
        {
            patches.Add(new ResolvedPatch(ResolvedPatch.Gateway, "ambassador-module.json",
                "sets add_linkerd_headers in the gateway's ambassador Module",
                new ResolvedTarget("getambassador.io", "v3alpha1", "Module", "ambassador", gateway.Namespace),
                [new PatchOperation("add", "/spec/config/add_linkerd_headers", "true")]));
        }
        patches.AddRange(services.Where(s => s.Existing && s.Export is not null).Select(ExportPatch));

        return new ResolvedMesh(mesh.Metadata.Name, sourceFile, linkerd, gateway, role,
            namespaces, workloads, services, mappings, listeners, hosts, patches, multicluster);
    }

    private static ResolvedMulticluster? ResolveMulticluster(MeshInput mesh, MulticlusterRole role, IReadOnlyDictionary<string, ClusterExports> others)
    {
        if (role == MulticlusterRole.None)
        {
            return null;
        }
        var mc = mesh.Multicluster!;
        var remotes = (mc.Remotes ?? []).Select(r =>
        {
            var exported = others.GetValueOrDefault(r.Cluster)?.Find(r.Namespace, r.Service);
            return new ResolvedRemote(r.Cluster, r.Namespace, r.Service,
                exported?.MirrorIn(r.Cluster) ?? $"{r.Service}-{r.Cluster}",
                r.Port ?? exported?.Port ?? 80, r.Prefix);
        }).ToList();
        var links = remotes.Select(r => r.Cluster).Distinct().Order(StringComparer.Ordinal).Select(cluster =>
        {
            var target = others.GetValueOrDefault(cluster);
            var wanted = (mc.Remotes ?? []).Where(r => r.Cluster == cluster).Select(r => target?.Find(r.Namespace, r.Service)).ToList();
            var gatewayLess = target is not null && wanted.All(w => w is not null && w.Mode != "true");
            return new ResolvedLink(cluster, target?.GatewayName, target?.GatewayNamespace, gatewayLess, target is not null);
        }).ToList();
        return new ResolvedMulticluster(
            Defaults.UsesGateway(mesh),
            mc.GatewayPort ?? Defaults.GatewayPort,
            mc.Probe?.Path ?? Defaults.ProbePath,
            mc.Probe?.Period ?? Defaults.ProbePeriod,
            mc.Probe?.Port ?? Defaults.ProbePort,
            mc.RequireIdentityOnInboundPorts is { } ports ? ports.Select(JsonScalar.Text).ToList() : [Defaults.GatewayPort.ToString(CultureInfo.InvariantCulture)],
            remotes, links);
    }

    private static ResolvedGateway ResolveGateway(MeshInput mesh, string sourceFile, ResolvedLinkerd linkerd, ResolvedMulticluster? mc)
    {
        var g = mesh.Gateway;
        var name = Defaults.GatewayName(g);
        var ns = Defaults.GatewayNamespace(g);
        var sa = g?.ServiceAccount ?? name;
        var ports = Defaults.GatewayPorts(g);
        var injectMode = g?.InjectMode ?? "enabled";

        // The gateway is meshed exactly as `linkerd2gen inject` would mesh it, with these overrides.
        var overrides = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [ProxySettings.SkipInboundPorts.Annotation] = g?.SkipInboundPorts is { } skip
                ? ProxySettings.PortList(skip.Select(JsonScalar.Text))
                : ProxySettings.PortList(ports.Select(p => p.TargetPort).Distinct()),
        };
        foreach (var kv in ProxyAnnotations(g?.Proxy))
        {
            overrides[kv.Key] = kv.Value;
        }
        if (mc is not null)
        {
            // Both ends: the target's gateway port takes mirrored traffic, as Linkerd's own gateway requires (4143).
            overrides[ProxySettings.RequireIdentityOnInboundPorts.Annotation] = ProxySettings.PortList(mc.RequireIdentityOnInboundPorts);
        }
        if (mc?.UsesGateway == true)
        {
            overrides[ProxySettings.EnableGatewayAnnotation] = "true";
        }
        var annotations = new InjectOptions(injectMode == "ingress", overrides).PodAnnotations();

        return new ResolvedGateway(
            Defaults.Flavor(g), name, ns, sa, g?.AdminPort ?? Defaults.AdminPort, ports, injectMode,
            g?.LinkerdHeaders ?? "mappings", g?.AmbassadorId ?? [], linkerd.IdentityOf(sa, ns),
            annotations,
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
        _ => new(name, JsonScalar.Text(value), null, null, null, null),
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
        if (list?.Cpu is { } cpu) items.Add(new("cpu", JsonScalar.Text(cpu)));
        if (list?.Memory is { } memory) items.Add(new("memory", JsonScalar.Text(memory)));
        return items;
    }

    private static ResolvedService ResolveService(NamespaceInput ns, ServiceInput svc, IReadOnlyList<ResolvedPort> ports, bool existing, LinkerdVersion version, ResolvedGateway gateway)
    {
        var export = ClusterExports.ExportMode(svc);
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

    /// <summary>The health-check Mapping Linkerd's probe of this gateway goes through; its prefix is the probe path.</summary>
    private static ResolvedMapping ProbeMapping(ResolvedMulticluster mc, ResolvedGateway gateway) => new(
        "linkerd-gateway-probe", gateway.Namespace, mc.ProbePath, Defaults.RouteHostname,
        $"localhost:{gateway.AdminPort.ToString(CultureInfo.InvariantCulture)}", "/ambassador/v0/check_ready",
        false, false, true, null, gateway.AmbassadorId,
        "Linkerd's multicluster probe of this gateway (mirror.linkerd.io/probe-path), answered by Emissary's readiness check");

    /// <summary>
    /// Makes the gateway Service Linkerd's multicluster gateway: the probe port renamed mc-probe, an mc-gateway port,
    /// and the mirror annotations. The renamed port is addressed by index, so test operations first check that the
    /// live Service has the expected port there: a Service of another shape fails instead of being clobbered.
    /// </summary>
    private static ResolvedPatch GatewayServicePatch(ResolvedGateway gateway, ResolvedLinkerd linkerd, ResolvedMulticluster mc, GatewayShape shape)
    {
        var index = gateway.Ports.ToList().FindIndex(p => p.Port == mc.ProbePort);
        var probe = gateway.Ports[index];
        var at = $"/spec/ports/{index.ToString(CultureInfo.InvariantCulture)}";
        var ops = new List<PatchOperation>
        {
            new("test", at + "/name", JsonString(probe.Name)),
            new("test", at + "/port", Json(probe.Port)),
            new("replace", at, new JsonObject { ["name"] = "mc-probe", ["port"] = probe.Port, ["targetPort"] = probe.TargetPort }.ToJsonString()),
            new("add", "/spec/ports/-", new JsonObject { ["name"] = "mc-gateway", ["port"] = mc.GatewayPort }.ToJsonString()),
        };
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["mirror.linkerd.io/gateway-identity"] = gateway.Identity,
            ["mirror.linkerd.io/probe-path"] = mc.ProbePath,
            ["mirror.linkerd.io/probe-period"] = mc.ProbePeriod.ToString(CultureInfo.InvariantCulture),
        };
        if (linkerd.Version < new LinkerdVersion(9))
        {
            // Only 2.8 reads it (isGateway); later charts still write it but no code reads it.
            annotations["mirror.linkerd.io/multicluster-gateway"] = "true";
        }
        ops.AddRange(AddToMap("/metadata/annotations", annotations.Select(a => new KeyValue(a.Key, a.Value)), shape.ServiceAnnotations));
        return new ResolvedPatch(ResolvedPatch.Gateway, "gateway-service.json",
            "makes the gateway Service Linkerd's multicluster gateway (mc-probe and mc-gateway ports, mirror annotations)",
            new ResolvedTarget("", "v1", "Service", gateway.Name, gateway.Namespace), ops);
    }

    private static string Json(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static ResolvedPatch GatewayDeploymentPatch(ResolvedGateway gateway, GatewayShape shape) => new(
        ResolvedPatch.Gateway, "gateway-deployment.json",
        "meshes the gateway Deployment with Linkerd (pod-template annotations, as `linkerd inject` writes them)",
        new ResolvedTarget("apps", "v1", "Deployment", gateway.Name, gateway.Namespace),
        shape.PodMetadata
            ? AddToMap("/spec/template/metadata/annotations", gateway.PodAnnotations, shape.PodAnnotations)
            : [new PatchOperation("add", "/spec/template/metadata", new JsonObject { ["annotations"] = MapOf(gateway.PodAnnotations) }.ToJsonString())]);

    /// <summary>Key by key into a map that exists (keeping its other keys), or the whole map where there is none.</summary>
    private static List<PatchOperation> AddToMap(string map, IEnumerable<KeyValue> entries, bool exists) => exists
        ? entries.Select(e => new PatchOperation("add", map + "/" + EscapePointer(e.Key), JsonString(e.Value))).ToList()
        : [new PatchOperation("add", map, MapOf(entries).ToJsonString())];

    private static JsonObject MapOf(IEnumerable<KeyValue> entries) => new(entries.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)JsonValue.Create(e.Value))));

    private static ResolvedPatch ExportPatch(ResolvedService svc) => new(
        ResolvedPatch.Exports, $"{svc.Namespace}-{svc.Name}.json",
        $"exports the existing service {svc.Namespace}/{svc.Name} to linked clusters",
        new ResolvedTarget("", "v1", "Service", svc.Name, svc.Namespace),
        svc.Labels.Select(l => new PatchOperation("add", "/metadata/labels/" + EscapePointer(l.Key), JsonString(l.Value)))
            .Concat(svc.Annotations.Select(a => new PatchOperation("add", "/metadata/annotations/" + EscapePointer(a.Key), JsonString(a.Value))))
            .ToList());

    public static string EscapePointer(string segment) => segment.Replace("~", "~0").Replace("/", "~1");

    private static string JsonString(string value) => JsonValue.Create(value).ToJsonString();

}
