using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Linkerd2Gen.Kubernetes;
using Linkerd2Gen.Linkerd;
using Linkerd2Gen.Model;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Resolve;

/// <summary>
/// Input (schema-valid) → the fully defaulted model. Derived values — identities, skip lists, service addresses,
/// patch operations, the bundle's file layout and the plan's commands — are computed here once, so every file of
/// the bundle agrees and every rule checks what is rendered. Total on any schema-valid input: what the rules will
/// reject resolves to something harmless rather than failing here.
/// </summary>
public static class Resolver
{
    /// <param name="others">The other clusters of the run, by name: remotes resolve against their exports.</param>
    /// <param name="gatewayBase">The objects of gateway.base, when it is set: patches add to the maps they really have.</param>
    /// <param name="outRoot">Where the bundles are written: gateway.base is referenced relative to the bundle folder.</param>
    /// <param name="namespaceBases">Each namespace's base, by namespace index (null where it has none).</param>
    public static ResolvedMesh Resolve(MeshInput mesh, string sourceFile, SourceMap map,
        IReadOnlyDictionary<string, ClusterExports>? others = null, IReadOnlyList<JsonObject>? gatewayBase = null, string outRoot = "out",
        IReadOnlyList<BaseObjects?>? namespaceBases = null, IReadOnlyList<RemoteCall>? remoteCalls = null)
    {
        var root = Origin.Root(map);
        var version = Defaults.Version(mesh);
        var linkerd = new ResolvedLinkerd(version,
            mesh.Linkerd?.ControlPlaneNamespace ?? Defaults.ControlPlaneNamespace,
            mesh.Linkerd?.TrustDomain ?? Defaults.TrustDomain);
        var role = Defaults.Role(mesh);
        // A base named but not given (a caller that read none) stands for one that was not there to read.
        var bases = (mesh.Namespaces ?? []).Select((ns, n) => ns.Base is null ? null : namespaceBases?.ElementAtOrDefault(n) ?? BaseObjects.Of(null, ns.Name)).ToList();
        // The declared calls first: a call to another cluster is one reason to link it.
        var declaredCalls = PolicyResolver.Calls(mesh, root, bases);
        var multicluster = ResolveMulticluster(mesh, role, others ?? new Dictionary<string, ClusterExports>(), declaredCalls, root.Child("/multicluster"));
        var gateway = ResolveGateway(mesh, sourceFile, linkerd, multicluster, root.Child("/gateway"));

        var namespaces = new List<ResolvedNamespace>();
        var workloads = new List<ResolvedWorkload>();
        var services = new List<ResolvedService>();
        for (var n = 0; n < (mesh.Namespaces?.Count ?? 0); n++)
        {
            var ns = mesh.Namespaces![n];
            var nsOrigin = root.Child($"/namespaces/{n}");
            var nsServices = new List<ResolvedService>();
            var baseObjects = bases[n];
            // A Namespace the bundle does not create may lack linkerd.io/inject and the proxy settings: the pods carry them.
            var inherited = ns.Create ?? true ? [] : NamespaceAnnotations(ns, version, nsOrigin, mesh.Policy?.DefaultInbound);
            // Each service on its own (on every core: a namespace may hold hundreds), gathered in the file's order.
            var resolvedHere = new (ResolvedWorkload? Workload, ResolvedService Service)[ns.Services?.Count ?? 0];
            Parallel.For(0, resolvedHere.Length, s => resolvedHere[s] = ResolveOne(ns, ns.Services![s], nsOrigin.Child($"/services/{s}"), baseObjects, inherited, version, gateway));
            foreach (var (workload, service) in resolvedHere)
            {
                if (workload is not null) workloads.Add(workload);
                nsServices.Add(service);
            }
            services.AddRange(nsServices);
            // Workloads may share a ServiceAccount (one identity): the first that creates it holds it.
            var created = new HashSet<string>(StringComparer.Ordinal);
            for (var w = workloads.Count - nsServices.Count(x => !x.Existing); w < workloads.Count; w++)
            {
                if (workloads[w].CreateServiceAccount && !created.Add(workloads[w].ServiceAccount)) workloads[w] = workloads[w] with { CreateServiceAccount = false };
            }
            namespaces.Add(ResolveNamespace(ns, nsServices, version, nsOrigin, mesh.Policy?.DefaultInbound) with
            {
                Policed = PolicyResolver.Enabled(mesh, ns),
                Base = ns.Base is null ? null : new NamespaceBase(GatewayBase.FullPath(sourceFile, ns.Base), ns.Base, baseObjects!.IsRead,
                    baseObjects.HasNamespace, baseObjects.ServiceNames, baseObjects.Workloads),
            });
        }

        var mappings = services.SelectMany(s => s.Routes).ToList();
        mappings.AddRange(RemoteMappings(multicluster, gateway));
        if (multicluster?.UsesGateway == true)
        {
            mappings.Add(ProbeMapping(multicluster, gateway));
        }

        var listeners = mesh.Gateway?.Listeners ?? true
            ? gateway.Ports.Select(p => new ResolvedListener($"{gateway.Name}-{p.Name}-listener", gateway.Namespace, p.TargetPort, p.Protocol, gateway.AmbassadorId)).ToList()
            : [];

        var hosts = (mesh.Gateway?.Hosts ?? []).Select((h, i) => new ResolvedHost(
            Defaults.HostName(h), gateway.Namespace, h.Hostname, h.Acme ?? "none", Defaults.HostInsecure(mesh, h),
            h.TlsSecret?.Name, h.TlsSecret?.Namespace, gateway.AmbassadorId, gateway.Origin.Child($"/hosts/{i}"))).ToList();

        var patches = new List<ResolvedPatch> { GatewayDeploymentPatch(gateway) };
        if (multicluster?.UsesGateway == true && GatewayServicePatch(gateway, multicluster) is { } servicePatch)
        {
            patches.Add(servicePatch);
            patches.Add(GatewayServiceAnnotations(gateway, linkerd, multicluster));
        }
        if (gateway.LinkerdHeaders == LinkerdHeaders.Module)
        {
            patches.Add(new ResolvedPatch(ResolvedPatch.Gateway, "ambassador-module.json",
                "sets add_linkerd_headers in the gateway's ambassador Module",
                new ResolvedTarget("getambassador.io", "v3alpha1", "Module", "ambassador", gateway.Namespace),
                [new PatchOperation("add", "/spec/config/add_linkerd_headers", "true")]));
        }
        patches.AddRange(namespaces.Where(n => !n.Create && n.Annotations.Count > 0).Select(NamespacePatch));
        // The base's own workloads carry the namespace's inject and proxy annotations on their pod templates (a changed template
        // rolls their pods out, meshed), but for those a pod template sets itself (a Job's `linkerd.io/inject: disabled`, a
        // workload's own proxy setting): Linkerd reads the pod's over the namespace's, and so does the bundle. Not a Job's: its
        // template cannot change once it exists (the API server refuses the apply, and with it an Argo CD sync), and its pods
        // are made once: those it makes from now on take the namespace's annotations, patched above.
        patches.AddRange(namespaces.Where(n => !n.Create && n.Annotations.Count > 0 && n.Base is not null)
            .SelectMany(n => n.Base!.Workloads.Where(w => w.Target.Kind != "Job")
                .Select(w => (Workload: w.Target, Added: n.Annotations.Where(a => w.PodAnnotation(a.Key) is null).ToList()))
                .Where(w => w.Added.Count > 0)
                .Select(w => new ResolvedPatch(ResolvedPatch.Existing, $"{n.Name}-{w.Workload.Kind.ToLowerInvariant()}-{w.Workload.Name}.json",
                    $"meshes the {w.Workload.Kind} {n.Name}/{w.Workload.Name} of the namespace's base (pod-template annotations)", w.Workload, [], new MergeFields([], [], w.Added)))));
        patches.AddRange(services.Where(s => s.Existing && s.Export is not null).Select(ExportPatch));

        var layout = Layout(mesh.Metadata.Name, namespaces, workloads, mappings, listeners, hosts, gateway, outRoot) with
        {
            NamespaceBases = namespaces.Where(n => n.Base is { Found: true }).Select(n => GatewayBase.RelativeTo(Path.Combine(outRoot, mesh.Metadata.Name), n.Base!.Path)).ToList(),
        };
        var serviceNames = services.Select(x => (x.Namespace, x.Name)).ToHashSet();
        var calls = declaredCalls.Select(c => c with
        {
            Found = c.Cluster is null
                ? serviceNames.Contains((c.Namespace, c.Service))
                    || namespaces.Any(n => n.Name == c.Namespace && n.Base?.Services.Contains(c.Service) == true)
                : others?.GetValueOrDefault(c.Cluster)?.Find(c.Namespace, c.Service) is not null,
            ClusterInRun = c.Cluster is null || others?.ContainsKey(c.Cluster) == true,
        }).ToList();
        var policies = PolicyResolver.Policies(mesh, namespaces, workloads, calls, gateway, linkerd, Defaults.IsTarget(role),
            (remoteCalls ?? []).Where(r => r.Cluster == mesh.Metadata.Name).ToList());
        layout = layout with { PolicyFiles = policies.Select(p => p.Namespace).Distinct().Order(StringComparer.Ordinal).Select(n => $"namespaces/{n}/policy.yaml").ToList() };
        layout = layout with { Resources = layout.Resources.Concat(layout.PolicyFiles).OrderBy(r => r == "namespaces.yaml" ? 0 : r.StartsWith("namespaces/", StringComparison.Ordinal) ? 1 : 2).ThenBy(r => r, StringComparer.Ordinal).ToList() };
        var partial = new ResolvedMesh(mesh.Metadata.Name, sourceFile, root, linkerd, gateway, role,
            namespaces, workloads, services, mappings, listeners, hosts, patches, multicluster, layout,
            new ResolvedPlan([], [], [], [], false)) { Policies = policies, Calls = calls };
        partial = partial with { Plan = Plan(partial) };
        return partial with { Picture = MeshPicture.Of(partial) };
    }

    private static InjectMode? Inject(NamespaceInput ns) => ns.Inject switch
    {
        "enabled" => InjectMode.Enabled,
        "disabled" => InjectMode.Disabled,
        "ingress" => InjectMode.Ingress,
        _ => null,
    };

    /// <summary>What Linkerd reads from a Namespace: linkerd.io/inject and the namespace-level proxy settings, sorted.</summary>
    private static List<KeyValue> NamespaceAnnotations(NamespaceInput ns, LinkerdVersion version, Origin origin, string? defaultInbound = null)
    {
        var annotations = Settings(ns.Proxy, origin.Child("/proxy"), version).Select(p => p.Annotation).ToList();
        if (Inject(ns) is { } mode) annotations.Add(new KeyValue(ProxySettings.InjectAnnotation, mode.Value()));
        if (defaultInbound is { } policy && annotations.All(a => a.Key != ProxySettings.ForField("defaultInboundPolicy").Annotation))
        {
            annotations.Add(new KeyValue(ProxySettings.ForField("defaultInboundPolicy").Annotation, policy));
        }
        return annotations.OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
    }

    private static ResolvedNamespace ResolveNamespace(NamespaceInput ns, IReadOnlyList<ResolvedService> services, LinkerdVersion version, Origin origin, string? defaultInbound)
    {
        var inject = Inject(ns);
        var proxy = Settings(ns.Proxy, origin.Child("/proxy"), version);
        var annotations = NamespaceAnnotations(ns, version, origin, defaultInbound);
        var create = ns.Create ?? true;
        if (create && !(ns.Prune ?? false))
        {
            // GitOps tools prune what leaves the bundle; a pruned Namespace takes everything in it along.
            annotations.Add(new KeyValue("argocd.argoproj.io/sync-options", "Prune=false"));
            annotations.Add(new KeyValue("kustomize.toolkit.fluxcd.io/prune", "disabled"));
        }
        return new ResolvedNamespace(ns.Name, create, annotations.OrderBy(a => a.Key, StringComparer.Ordinal).ToList(), inject, proxy, services, origin);
    }

    private static ResolvedMulticluster? ResolveMulticluster(MeshInput mesh, MulticlusterRole role, IReadOnlyDictionary<string, ClusterExports> others,
        IReadOnlyList<ResolvedCall> calls, Origin origin)
    {
        if (role == MulticlusterRole.None)
        {
            return null;
        }
        var mc = mesh.Multicluster!;
        var remotes = (mc.Remotes ?? []).Select((r, i) =>
        {
            var exported = others.GetValueOrDefault(r.Cluster)?.Find(r.Namespace, r.Service);
            return new ResolvedRemote(r.Cluster, r.Namespace, r.Service,
                exported?.MirrorIn(r.Cluster) ?? $"{r.Service}-{r.Cluster}",
                r.Port ?? exported?.Port ?? 80, r.Prefix, r.Hostname ?? Defaults.RouteHostname, origin.Child($"/remotes/{i}"));
        }).ToList();
        // A source links every cluster it reaches: the ones its gateway routes to (remotes) and the ones its workloads call
        // (without the link, no mirror of the called service exists here). Only a source links (the rules say so of a call).
        var reached = (mc.Remotes ?? []).Select(r => (r.Cluster, r.Namespace, r.Service))
            .Concat(Defaults.IsSource(role) ? calls.Where(c => c.Cluster is not null).Select(c => (Cluster: c.Cluster!, c.Namespace, c.Service)) : []).ToList();
        var links = reached.Select(r => r.Cluster).Distinct().Order(StringComparer.Ordinal).Select(cluster =>
        {
            var target = others.GetValueOrDefault(cluster);
            var wanted = reached.Where(r => r.Cluster == cluster).Select(r => target?.Find(r.Namespace, r.Service)).ToList();
            var gatewayLess = target is not null && wanted.All(w => w is not null && w.Mode != ExportMode.Gateway);
            return new ResolvedLink(cluster, target?.GatewayName, target?.GatewayNamespace, gatewayLess, target is not null);
        }).ToList();
        return new ResolvedMulticluster(
            Defaults.UsesGateway(mesh),
            mc.GatewayPort ?? Defaults.GatewayPort,
            mc.Probe?.Path ?? Defaults.ProbePath,
            mc.Probe?.Period ?? Defaults.ProbePeriod,
            mc.Probe?.Port ?? Defaults.ProbePort,
            mc.RequireIdentityOnInboundPorts is { } ports ? ports.Select(JsonScalar.Text).ToList() : [Defaults.GatewayPort.ToString(CultureInfo.InvariantCulture)],
            remotes, links, origin);
    }

    private static ResolvedGateway ResolveGateway(MeshInput mesh, string sourceFile, ResolvedLinkerd linkerd, ResolvedMulticluster? mc, Origin origin)
    {
        var g = mesh.Gateway;
        var name = Defaults.GatewayName(g);
        var ns = Defaults.GatewayNamespace(g);
        var sa = g?.ServiceAccount ?? name;
        var ports = g?.Ports is { Count: > 0 } written
            ? written.Select((p, i) =>
            {
                var portName = p.Name ?? p.Port switch { 80 => "http", 443 => "https", _ => $"port-{p.Port}" };
                var protocol = p.Protocol ?? (portName == "https" || p.Port == 443 ? "HTTPS" : "HTTP");
                return new ResolvedGatewayPort(portName, p.Port, p.TargetPort ?? p.Port, protocol, origin.Child($"/ports/{i}"));
            }).ToList()
            : [new("http", 80, 8080, "HTTP", origin.Child("/ports")), new("https", 443, 8443, "HTTPS", origin.Child("/ports"))];
        var injectMode = g?.InjectMode == "ingress" ? InjectMode.Ingress : InjectMode.Enabled;
        var skip = g?.SkipInboundPorts is { } listed ? listed.Select(JsonScalar.Text).ToList() : ports.Select(p => p.TargetPort).Distinct().Select(p => p.ToString(CultureInfo.InvariantCulture)).ToList();
        var proxy = Settings(g?.Proxy, origin.Child("/proxy"), linkerd.Version);

        // The gateway is meshed exactly as `linkerd2gen inject` would mesh it, with these overrides.
        var overrides = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [ProxySettings.SkipInboundPorts.Annotation] = ProxySettings.PortList(skip),
        };
        foreach (var setting in proxy)
        {
            overrides[setting.Key] = setting.Value;
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
        var annotations = new InjectOptions(injectMode == InjectMode.Ingress, overrides).PodAnnotations();

        var headers = g?.LinkerdHeaders switch { "module" => LinkerdHeaders.Module, "off" => LinkerdHeaders.Off, _ => LinkerdHeaders.Mappings };
        return new ResolvedGateway(
            Defaults.Flavor(g), name, ns, sa, g?.AdminPort ?? Defaults.AdminPort, ports, injectMode,
            headers, g?.AmbassadorId ?? [], linkerd.IdentityOf(sa, ns), annotations,
            g?.Base is null ? null : GatewayBase.FullPath(sourceFile, g.Base), g?.Base, skip, proxy, origin);
    }

    /// <summary>The settings of a `proxy:` block, sorted by annotation: their values exactly as `linkerd inject` writes them.</summary>
    private static List<ResolvedSetting> Settings(JsonObject? proxy, Origin origin, LinkerdVersion version) =>
        (proxy ?? [])
            .Where(p => p.Value is not null)
            .Select(p =>
            {
                var setting = ProxySettings.ForField(p.Key);
                var items = p.Value is JsonArray list ? list.Select(v => JsonScalar.Text(v!)).ToList() : [JsonScalar.Text(p.Value!)];
                return new ResolvedSetting(setting, setting.AnnotationFor(version), setting.Format(p.Value!), items, p.Value is JsonArray, origin.Child("/" + SourceMap.Escape(p.Key)));
            })
            .OrderBy(s => s.Key, StringComparer.Ordinal)
            .ToList();

    /// <summary>One service of a namespace: its Service (and its workload, unless it exists already).</summary>
    private static (ResolvedWorkload? Workload, ResolvedService Service) ResolveOne(NamespaceInput ns, ServiceInput svc, Origin origin, BaseObjects? baseObjects,
        IReadOnlyList<KeyValue> inherited, LinkerdVersion version, ResolvedGateway gateway)
    {
        var ports = (svc.Ports ?? []).Select((p, i) => new ResolvedPort(
            p.Name ?? $"port-{Defaults.ServicePort(p)}", Defaults.ContainerPort(p), Defaults.ServicePort(p), p.Protocol ?? "TCP",
            Defaults.KubernetesAppProtocol(p.AppProtocol), p.AppProtocol, origin.Child($"/ports/{i}"))).ToList();
        var fromBase = (svc.Existing ?? false) ? baseObjects?.Service(svc.Name) : null;
        if (fromBase is not null && svc.Ports is null)
        {
            // An existing service described by its base: its real ports.
            ports = fromBase.Ports.Select(p => p with { Origin = origin }).ToList();
        }
        var workload = svc.Existing ?? false ? null : ResolveWorkload(ns, svc, ports, inherited, version, origin);
        var service = ResolveService(ns, svc, ports, version, gateway, origin);
        if (workload is not null)
        {
            // Its probes as the policy sees them: a kind on a container port (a named port is its number).
            var probes = new[] { workload.Readiness, workload.Liveness, workload.Startup }.OfType<ResolvedProbe>()
                .Select(p => new PodProbe(p.Kind, p.PortNumber ?? p.GrpcPort ?? workload.Ports.FirstOrDefault(x => x.Name == p.PortName)?.ContainerPort) { Origin = p.Origin });
            service = service with { ServiceAccount = Defaults.ServiceAccount(svc), PodProbes = probes.ToList() };
        }
        if (baseObjects is not null && service.Existing)
        {
            service = service with
            {
                InBase = fromBase is not null,
                Selector = fromBase?.Selector ?? service.Selector,
                Workload = fromBase?.Workload ?? service.Workload,
                ServiceAccount = fromBase?.ServiceAccount,
                PodProbes = fromBase?.Probes ?? [],
            };
        }
        return (workload, service);
    }

    private static ResolvedWorkload ResolveWorkload(NamespaceInput ns, ServiceInput svc, IReadOnlyList<ResolvedPort> ports, IReadOnlyList<KeyValue> inherited, LinkerdVersion version, Origin origin)
    {
        var env = (svc.Env ?? []).Select(e => ResolveEnv(e.Key, e.Value, origin.Child("/env/" + SourceMap.Escape(e.Key)))).ToList();
        var proxy = Settings(svc.Proxy, origin.Child("/proxy"), version);
        var kind = svc.Kind ?? "Deployment";
        var selector = Defaults.Selector(svc);
        return new ResolvedWorkload(
            Defaults.WorkloadName(svc), ns.Name, svc.Name, kind, svc.Container ?? Defaults.WorkloadName(svc), svc.Image ?? "", svc.Replicas ?? 1,
            Defaults.ServiceAccount(svc), Defaults.CreatesServiceAccount(svc),
            svc.Command ?? [], svc.Args ?? [], ports, env,
            (svc.EnvFrom ?? []).Select(e => new ResolvedEnvFrom(e.ConfigMap, e.Secret)).ToList(),
            ResolveProbe(svc.Readiness, ports, origin.Child("/readiness")), ResolveProbe(svc.Liveness, ports, origin.Child("/liveness")),
            ResolveProbe(svc.Startup, ports, origin.Child("/startup")),
            ResourceList(svc.Resources?.Limits), ResourceList(svc.Resources?.Requests),
            selector, Sorted(svc.Labels), Sorted(svc.Annotations),
            // The selector's labels first, then the others (the selector's win: they must select the pods).
            selector.Concat(Sorted(svc.PodLabels).Where(l => selector.All(x => x.Key != l.Key))).ToList(),
            Overlay(Overlay(inherited, Sorted(svc.PodAnnotations)), proxy.Select(p => p.Annotation)), proxy,
            kind == "StatefulSet" ? Defaults.HeadlessServiceName(svc) : null,
            $"namespaces/{ns.Name}/{svc.Name}.yaml", origin)
        {
            Patch = svc.Patch,
        };
    }

    private static List<KeyValue> Sorted(Dictionary<string, string>? map) =>
        (map ?? []).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new KeyValue(kv.Key, kv.Value)).ToList();

    /// <summary>Annotations by key, sorted; a later one replaces an earlier one (the workload's setting over its namespace's).</summary>
    private static IReadOnlyList<KeyValue> Overlay(IEnumerable<KeyValue> first, IEnumerable<KeyValue> then)
    {
        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in first.Concat(then)) merged[kv.Key] = kv.Value;
        return merged.Select(kv => new KeyValue(kv.Key, kv.Value)).ToList();
    }

    private static ResolvedEnv ResolveEnv(string name, JsonNode? value, Origin origin) => value switch
    {
        JsonObject { } o when o["fieldRef"] is { } f => new(name, null, f.GetValue<string>(), null, null, null, origin),
        JsonObject { } o when o["secretKeyRef"] is JsonObject s => new(name, null, null, s["name"]!.GetValue<string>(), null, s["key"]!.GetValue<string>(), origin),
        JsonObject { } o when o["configMapKeyRef"] is JsonObject c => new(name, null, null, null, c["name"]!.GetValue<string>(), c["key"]!.GetValue<string>(), origin),
        null => new(name, "", null, null, null, null, origin),
        _ => new(name, JsonScalar.Text(value), null, null, null, null, origin),
    };

    private static ResolvedProbe? ResolveProbe(ProbeInput? probe, IReadOnlyList<ResolvedPort> ports, Origin origin)
    {
        if (probe is null)
        {
            return null;
        }
        var kind = probe.Tcp is not null ? "tcpSocket" : probe.Grpc is not null ? "grpc" : probe.Exec is not null ? "exec" : "httpGet";
        string? portName = null;
        int? portNumber = null;
        switch (kind == "tcpSocket" ? probe.Tcp : probe.Port)
        {
            case null when kind is "httpGet":
                portName = ports.Count > 0 ? ports[0].Name : null;
                portNumber = ports.Count > 0 ? null : 80;
                break;
            case null:
                break;
            case var p when p.GetValueKind() == JsonValueKind.Number:
                portNumber = p.GetValue<int>();
                break;
            case var p:
                portName = p.GetValue<string>();
                break;
        }
        return new ResolvedProbe(kind, probe.Path, portName, portNumber, probe.Grpc, probe.Exec ?? [],
            probe.InitialDelaySeconds, probe.PeriodSeconds, probe.TimeoutSeconds, probe.FailureThreshold, origin);
    }

    private static IReadOnlyList<KeyValue> ResourceList(ResourceListInput? list)
    {
        var items = new List<KeyValue>();
        if (list?.Cpu is { } cpu) items.Add(new("cpu", JsonScalar.Text(cpu)));
        if (list?.Memory is { } memory) items.Add(new("memory", JsonScalar.Text(memory)));
        return items;
    }

    private static ResolvedService ResolveService(NamespaceInput ns, ServiceInput svc, IReadOnlyList<ResolvedPort> ports, LinkerdVersion version, ResolvedGateway gateway, Origin origin)
    {
        var export = Defaults.ExportOf(svc);
        var labels = new List<KeyValue>();
        var annotations = new List<KeyValue>();
        switch (export)
        {
            case ExportMode.Gateway when LinkerdReleases.Of(version).ExportStyle == ExportStyle.GatewayAnnotations:
                // Linkerd 2.8 read the gateway from two annotations; they must name the real gateway.
                annotations.Add(new("mirror.linkerd.io/gateway-name", gateway.Name));
                annotations.Add(new("mirror.linkerd.io/gateway-ns", gateway.Namespace));
                break;
            case ExportMode.Gateway or ExportMode.RemoteDiscovery:
                labels.Add(new("mirror.linkerd.io/exported", export.Value.Value()));
                break;
            case ExportMode.Federated:
                labels.Add(new("mirror.linkerd.io/federated", "member"));
                break;
        }
        var routes = (svc.Routes ?? []).Select((_, i) => ResolveRoute(ns, svc, i, ports, gateway, origin.Child($"/routes/{i}"))).ToList();
        return new ResolvedService(svc.Name, ns.Name, Defaults.WorkloadName(svc), svc.Existing ?? false, svc.Service?.Type ?? "ClusterIP",
            Defaults.Selector(svc), ports, Overlay(Sorted(svc.Service?.Labels), labels), Overlay(Sorted(svc.Service?.Annotations), annotations),
            export, routes, svc.Kind == "StatefulSet" ? Defaults.HeadlessServiceName(svc) : null, origin)
        {
            ExportLabels = labels,
            ExportAnnotations = annotations,
        };
    }

    private static ResolvedMapping ResolveRoute(NamespaceInput ns, ServiceInput svc, int index, IReadOnlyList<ResolvedPort> ports, ResolvedGateway gateway, Origin origin)
    {
        var route = svc.Routes![index];
        var port = route.Port switch
        {
            null => ports.Count > 0 ? ports[0].ServicePort : 80,
            var p when p.GetValueKind() == JsonValueKind.Number => p.GetValue<int>(),
            var p => ports.FirstOrDefault(x => x.Name == p.GetValue<string>())?.ServicePort ?? 0,
        };
        return new ResolvedMapping(
            Defaults.RouteName(svc, index), ns.Name, route.Prefix, route.Hostname ?? Defaults.RouteHostname,
            // Namespace-qualified with its port: unambiguous whatever namespace Emissary runs in.
            $"{svc.Name}.{ns.Name}:{port.ToString(CultureInfo.InvariantCulture)}", port,
            route.Rewrite, gateway.LinkerdHeaders == LinkerdHeaders.Mappings, gateway.InjectMode == InjectMode.Ingress, false,
            route.TimeoutMs, gateway.AmbassadorId, $"route {index + 1} of service {ns.Name}/{svc.Name}", origin)
        {
            Grpc = route.Grpc ?? false,
            PortWritten = route.Port is null ? null : JsonScalar.Text(route.Port),
            Weight = route.Weight,
            Headers = Sorted(route.Headers),
            HostRewrite = route.HostRewrite,
            Extra = route.Mapping,
        };
    }

    private static IEnumerable<ResolvedMapping> RemoteMappings(ResolvedMulticluster? mc, ResolvedGateway gateway) =>
        (mc?.Remotes ?? []).Select(r => new ResolvedMapping(
            r.Mirror, r.Namespace, r.Prefix, Defaults.RouteHostname, $"{r.Mirror}.{r.Namespace}:{r.Port.ToString(CultureInfo.InvariantCulture)}", r.Port,
            null, gateway.LinkerdHeaders == LinkerdHeaders.Mappings, gateway.InjectMode == InjectMode.Ingress, false, null, gateway.AmbassadorId,
            $"service {r.Namespace}/{r.Service} of linked cluster {r.Cluster}, mirrored as {r.Mirror}", r.Origin));

    /// <summary>The health-check Mapping Linkerd's probe of this gateway goes through; its prefix is the probe path.</summary>
    private static ResolvedMapping ProbeMapping(ResolvedMulticluster mc, ResolvedGateway gateway) => new(
        "linkerd-gateway-probe", gateway.Namespace, mc.ProbePath, Defaults.RouteHostname,
        $"localhost:{gateway.AdminPort.ToString(CultureInfo.InvariantCulture)}", gateway.AdminPort, "/ambassador/v0/check_ready",
        false, false, true, null, gateway.AmbassadorId,
        "Linkerd's multicluster probe of this gateway (mirror.linkerd.io/probe-path), answered by Emissary's readiness check", mc.Origin.Child("/probe"));

    /// <summary>
    /// Makes the gateway Service Linkerd's multicluster gateway: the probe port renamed mc-probe and an mc-gateway port.
    /// The renamed port is addressed by index, so test operations first check that the live Service has the expected port
    /// there: a Service of another shape fails instead of being clobbered. Null when the probe port is no gateway port (a
    /// rule reports it).
    /// </summary>
    private static ResolvedPatch? GatewayServicePatch(ResolvedGateway gateway, ResolvedMulticluster mc)
    {
        var index = gateway.Ports.ToList().FindIndex(p => p.Port == mc.ProbePort);
        if (index < 0) return null;
        var probe = gateway.Ports[index];
        var at = $"/spec/ports/{index.ToString(CultureInfo.InvariantCulture)}";
        return new ResolvedPatch(ResolvedPatch.Gateway, "gateway-service.json",
            "makes the gateway Service Linkerd's multicluster gateway: its mc-probe and mc-gateway ports",
            new ResolvedTarget("", "v1", "Service", gateway.Name, gateway.Namespace),
            [
                new("test", at + "/name", JsonString(probe.Name)),
                new("test", at + "/port", Json(probe.Port)),
                new("replace", at, new JsonObject { ["name"] = "mc-probe", ["port"] = probe.Port, ["targetPort"] = probe.TargetPort }.ToJsonString()),
                new("add", "/spec/ports/-", new JsonObject { ["name"] = "mc-gateway", ["port"] = mc.GatewayPort }.ToJsonString()),
            ]);
    }

    /// <summary>The mirror annotations of the gateway Service: the identity mirrored traffic carries, and Linkerd's probe.</summary>
    private static ResolvedPatch GatewayServiceAnnotations(ResolvedGateway gateway, ResolvedLinkerd linkerd, ResolvedMulticluster mc)
    {
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["mirror.linkerd.io/gateway-identity"] = gateway.Identity,
            ["mirror.linkerd.io/probe-path"] = mc.ProbePath,
            ["mirror.linkerd.io/probe-period"] = mc.ProbePeriod.ToString(CultureInfo.InvariantCulture),
        };
        if (linkerd.Release.ExportStyle == ExportStyle.GatewayAnnotations)
        {
            // Only 2.8 reads it (isGateway); later charts still write it but no code reads it.
            annotations["mirror.linkerd.io/multicluster-gateway"] = "true";
        }
        return new ResolvedPatch(ResolvedPatch.Gateway, "gateway-service-annotations.json",
            "annotates the gateway Service for Linkerd's multicluster probe and identity (a merge patch)",
            new ResolvedTarget("", "v1", "Service", gateway.Name, gateway.Namespace), [],
            new MergeFields([], annotations.Select(a => new KeyValue(a.Key, a.Value)).ToList(), []));
    }

    private static string Json(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static ResolvedPatch GatewayDeploymentPatch(ResolvedGateway gateway) => new(
        ResolvedPatch.Gateway, "gateway-deployment.json",
        "meshes the gateway Deployment with Linkerd: pod-template annotations, as `linkerd inject` writes them (a merge patch)",
        new ResolvedTarget("apps", "v1", "Deployment", gateway.Name, gateway.Namespace), [],
        new MergeFields([], [], gateway.PodAnnotations));

    private static ResolvedPatch NamespacePatch(ResolvedNamespace ns) => new(
        ResolvedPatch.Existing, $"namespace-{ns.Name}.json",
        $"annotates the existing Namespace {ns.Name} for Linkerd (injection and proxy settings of pods the bundle does not render)",
        new ResolvedTarget("", "v1", "Namespace", ns.Name, ""), [],
        new MergeFields([], ns.Annotations, []));

    private static ResolvedPatch ExportPatch(ResolvedService svc) => new(
        ResolvedPatch.Existing, $"{svc.Namespace}-{svc.Name}.json",
        $"exports the existing service {svc.Namespace}/{svc.Name} to linked clusters",
        new ResolvedTarget("", "v1", "Service", svc.Name, svc.Namespace), [],
        new MergeFields(svc.ExportLabels, svc.ExportAnnotations, []));

    public static string EscapePointer(string segment) => segment.Replace("~", "~0").Replace("/", "~1");

    private static string JsonString(string value) => JsonValue.Create(value).ToJsonString();

    /// <summary>Which file holds what: a file per workload, a Mappings file per namespace, the gateway's own in gateway/.</summary>
    private static ResolvedLayout Layout(string cluster, IReadOnlyList<ResolvedNamespace> namespaces, IReadOnlyList<ResolvedWorkload> workloads,
        IReadOnlyList<ResolvedMapping> mappings, IReadOnlyList<ResolvedListener> listeners, IReadOnlyList<ResolvedHost> hosts, ResolvedGateway gateway, string outRoot)
    {
        var namespacesFile = namespaces.Any(n => n.Create) ? "namespaces.yaml" : null;
        var mappingFiles = mappings.GroupBy(m => m.Namespace).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ResolvedMappingFile(
                g.Key == gateway.Namespace ? "gateway/mappings.yaml" : $"namespaces/{g.Key}/mappings.yaml",
                g.OrderBy(m => m.Name, StringComparer.Ordinal).ToList()))
            .ToList();
        var listenersFile = listeners.Count > 0 ? "gateway/listeners.yaml" : null;
        var hostsFile = hosts.Count > 0 ? "gateway/hosts.yaml" : null;
        var resources = new[] { namespacesFile, listenersFile, hostsFile }.OfType<string>()
            .Concat(workloads.Select(w => w.File)).Concat(mappingFiles.Select(f => f.Path))
            // Namespaces before what lives in them; kubectl applies in this order.
            .OrderBy(r => r == "namespaces.yaml" ? 0 : r.StartsWith("namespaces/", StringComparison.Ordinal) ? 1 : 2)
            .ThenBy(r => r, StringComparer.Ordinal)
            .ToList();
        // With gateway.base the bundle builds the gateway too, patched by the Component.
        var gatewayBase = gateway.Base is { } dir ? GatewayBase.RelativeTo(Path.Combine(outRoot, cluster), dir) : null;
        return new ResolvedLayout(namespacesFile, mappingFiles, listenersFile, hostsFile, resources, gatewayBase);
    }

    private static ResolvedPlan Plan(ResolvedMesh mesh) => new(
        MulticlusterPlan.InstallCommands(mesh),
        MulticlusterPlan.LinkCommands(mesh),
        mesh.Patches.Where(p => p.Component == ResolvedPatch.Gateway)
            .Select(p => $"kubectl -n {p.Target.Namespace} patch {p.Target.Kind.ToLowerInvariant()}{(p.Target.Group.Length > 0 ? "." + p.Target.Group : "")} {p.Target.Name} --type={(p.IsMerge ? "merge" : "json")} --patch-file {p.Path}")
            .ToList(),
        // kubectl label/annotate work whatever the live object looks like.
        mesh.Namespaces.Where(n => !n.Create && n.Annotations.Count > 0)
            .Select(n => $"kubectl annotate namespace {n.Name} {string.Join(" ", n.Annotations.Select(a => $"{a.Key}={a.Value}"))} --overwrite")
            .Concat(mesh.Services.Where(s => s.Existing && s.Export is not null).SelectMany(s =>
                s.Labels.Select(l => $"kubectl -n {s.Namespace} label service {s.Name} {l.Key}={l.Value} --overwrite")
                    .Concat(s.Annotations.Select(a => $"kubectl -n {s.Namespace} annotate service {s.Name} {a.Key}={a.Value} --overwrite"))))
            .ToList(),
        mesh.Patches.Any(p => p.Component == ResolvedPatch.Existing));
}
