using System.Globalization;
using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Kubernetes;
using Linkerd2Gen.Linkerd;
using Linkerd2Gen.Model;
using Linkerd2Gen.Resolve;
using static Linkerd2Gen.Diagnostics.DiagnosticCatalog;

namespace Linkerd2Gen.Rules;

/// <summary>
/// What a schema cannot say: names, uniqueness, cross-references, port clashes, version gates and role rules.
/// They read the resolved model, so they check the very values that are rendered, and report at each value's
/// origin (for a defaulted value, the nearest thing the user wrote). Every finding is reported.
/// </summary>
public sealed class SemanticRules
{
    private static readonly int[] ProxyPorts = [4140, 4143, 4190, 4191];

    /// <summary>Workload fields an existing service cannot have: nothing of its workload is rendered.</summary>
    private static readonly string[] WorkloadFields =
        ["workload", "kind", "container", "selector", "labels", "annotations", "podLabels", "podAnnotations", "image", "replicas", "serviceAccount",
         "command", "args", "env", "envFrom", "readiness", "liveness", "startup", "resources", "proxy", "service", "patch"];

    private readonly ResolvedMesh _mesh;
    private readonly DiagnosticBag _out;
    private readonly LinkerdVersion _version;
    private readonly LinkerdRelease _release;
    private readonly Dictionary<string, ResolvedWorkload> _workloads;

    private SemanticRules(ResolvedMesh mesh, DiagnosticBag diagnostics)
    {
        _mesh = mesh;
        _out = diagnostics;
        _version = mesh.Linkerd.Version;
        _release = mesh.Linkerd.Release;
        _workloads = mesh.Workloads.ToDictionary(w => w.Origin.Pointer, StringComparer.Ordinal);
    }

    public static void Check(ResolvedMesh mesh, DiagnosticBag diagnostics)
    {
        var rules = new SemanticRules(mesh, diagnostics);
        rules.CheckMetadata();
        rules.CheckGateway();
        rules.CheckNamespaces();
        rules.CheckMulticluster();
        rules.CheckPolicy();
    }

    private void Label(SourceLocation at, string what, string name)
    {
        if (!KubernetesNames.IsDns1123Label(name)) _out.Add(InvalidName(at, what, name, 63));
    }

    private void Subdomain(SourceLocation at, string what, string name)
    {
        if (!KubernetesNames.IsDns1123Subdomain(name)) _out.Add(InvalidName(at, what, name, 253));
    }

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reports the second and later uses of a key; first uses are remembered with their location.</summary>
    private sealed class Unique(Func<string, SourceLocation, Diagnostic> duplicate, DiagnosticBag diagnostics)
    {
        private readonly Dictionary<string, SourceLocation> _seen = new(StringComparer.Ordinal);

        public void Add(string key, SourceLocation at)
        {
            if (_seen.TryGetValue(key, out var first)) diagnostics.Add(duplicate(key, first) with { Location = at });
            else _seen[key] = at;
        }
    }

    private Unique Names(string what) => new((n, first) => DuplicateName(default, what, n, first), _out);
    private Unique Ports(string what) => new((n, first) => PortClash(default, what, int.Parse(n, CultureInfo.InvariantCulture), first), _out);

    private void CheckMetadata()
    {
        var root = _mesh.Origin;
        Label(root.At("/metadata/name"), "cluster name", _mesh.Cluster);
        Label(root.At("/linkerd/controlPlaneNamespace"), "control plane namespace", _mesh.Linkerd.ControlPlaneNamespace);
        Subdomain(root.At("/linkerd/trustDomain"), "trust domain", _mesh.Linkerd.TrustDomain);
    }

    private void CheckGateway()
    {
        var g = _mesh.Gateway;
        var o = g.Origin;
        Subdomain(o.At("/name"), "gateway name", g.Name);
        Label(o.At("/namespace"), "gateway namespace", g.Namespace);
        Subdomain(o.At("/serviceAccount"), "gateway service account", g.ServiceAccount);
        if (g.InjectMode == InjectMode.Ingress && !_release.IngressMode)
        {
            _out.Add(NeedsVersion(o.At("/injectMode"), "injectMode: ingress", "2.9", _version.ToString()));
        }

        var names = Names("gateway port name");
        var ports = Ports("gateway port");
        var targets = Ports("gateway targetPort");
        foreach (var port in g.Ports)
        {
            if (port.Origin.Has("/name") && !KubernetesNames.IsPortName(port.Name))
            {
                _out.Add(InvalidName(port.Origin.At("/name"), "port name", port.Name, 15));
            }
            names.Add(port.Name, port.Origin.At());
            ports.Add(Text(port.Port), port.Origin.At("/port"));
            targets.Add(Text(port.TargetPort), port.Origin.AtOr("/targetPort", "/port"));
        }

        if (o.Has("/skipInboundPorts"))
        {
            CheckPortList(o.Child("/skipInboundPorts"), g.SkipInboundPorts);
            var listening = g.Ports.Select(p => p.TargetPort).ToHashSet();
            if ((g.SkipInboundPorts.Contains("80") && !listening.Contains(80)) || (g.SkipInboundPorts.Contains("443") && !listening.Contains(443)))
            {
                _out.Add(GuideSkipPorts80443(o.At("/skipInboundPorts"), string.Join(",", listening.Order())));
            }
        }
        foreach (var setting in g.Proxy.Where(s => s.Setting.Field is "skipInboundPorts" or "requireIdentityOnInboundPorts"))
        {
            var owner = setting.Setting.Field == "skipInboundPorts" ? "gateway.skipInboundPorts" : "multicluster.requireIdentityOnInboundPorts";
            _out.Add(SchemaOther(setting.Origin.KeyAt(""), $"gateway.proxy.{setting.Setting.Field}", $"set it with {owner}, which the gateway's annotations are derived from"));
        }
        CheckProxy(g.Proxy);
        if (g.Base is { } baseDir && GatewayBase.KustomizationIn(baseDir) is null)
        {
            _out.Add(BaseNotAKustomization(o.At("/base"), g.BaseAsWritten!));
        }

        var hostNames = Names("host");
        foreach (var host in _mesh.Hosts)
        {
            var h = host.Origin;
            if (h.Has("/name")) Subdomain(h.At("/name"), "host name", host.Name);
            if (!KubernetesNames.IsHostnameGlob(host.Hostname))
            {
                _out.Add(HostnameInvalid(h.At("/hostname"), host.Hostname));
            }
            hostNames.Add(host.Name, h.AtOr("/name", "/hostname"));
            if (_mesh.IsTarget && host.InsecureAction != InsecureAction.Route)
            {
                _out.Add(TargetHostMustRoute(h.At("/insecure"), host.Hostname, host.InsecureAction.ToString()));
            }
            if (host.InsecureAction == InsecureAction.Redirect && host.TlsSecretName is null && host.AcmeAuthority == "none")
            {
                _out.Add(HostRedirectWithoutTls(h.At(), host.Hostname));
            }
        }
    }

    private void CheckNamespaces()
    {
        var namespaces = Names("namespace");
        var mappings = Names("route (Mapping)");
        var routes = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var ns in _mesh.Namespaces)
        {
            Label(ns.Origin.At("/name"), "namespace", ns.Name);
            namespaces.Add(ns.Name, ns.Origin.At("/name"));
            if (ns.Inject == InjectMode.Ingress && !_release.IngressMode)
            {
                _out.Add(NeedsVersion(ns.Origin.At("/inject"), "inject: ingress", "2.9", _version.ToString()));
            }
            CheckProxy(ns.Proxy);
            if (ns.Base is { } nsBase)
            {
                if (!nsBase.Found) _out.Add(BaseNotAKustomization(ns.Origin.At("/base"), nsBase.AsWritten, $"namespaces[{ns.Origin.Pointer[(ns.Origin.Pointer.LastIndexOf('/') + 1)..]}].base"));
                else if (ns.Create && nsBase.HasNamespace) _out.Add(BaseHasNamespace(ns.Origin.AtOr("/create", "/base"), ns.Name));
                // Whether a workload's pods ask for the proxy: the pod template's own annotation wins over the namespace's, as
                // Linkerd reads them.
                bool AsksForProxy(BaseWorkload w) => ProxySettings.Injects(w.PodAnnotation(ProxySettings.InjectAnnotation) ?? ns.Inject?.Value());
                // A meshed Job's pod completes only when the proxy is a native sidecar: else it keeps running after the job's
                // containers.
                var nsNative = ns.Proxy.FirstOrDefault(p => p.Setting.Field == "nativeSidecar")?.Value;
                foreach (var job in nsBase.Workloads.Where(w => w.Target.Kind is "Job" or "CronJob"))
                {
                    var native = job.PodAnnotations.FirstOrDefault(a => a.Key.EndsWith("/proxy-enable-native-sidecar", StringComparison.Ordinal))?.Value ?? nsNative;
                    if (AsksForProxy(job) && !(native == "true" || (native != "false" && _release.NativeSidecarDefault)))
                    {
                        _out.Add(MeshedJobNeverCompletes(ns.Origin.At("/base"), job.Target.Kind, job.Target.Name, ns.Name, _version.ToString()));
                    }
                }
                // Meshing asked for where Linkerd will not inject (hostNetwork).
                foreach (var refused in nsBase.Workloads.Where(w => w.InjectRefusals.Count > 0 && AsksForProxy(w)))
                {
                    _out.Add(BaseWorkloadNeverMeshed(ns.Origin.At("/base"), refused.Target.Kind, refused.Target.Name, ns.Name, string.Join(", ", refused.InjectRefusals)));
                }
            }

            var services = Names("service");
            var workloads = Names("workload (Deployment)");
            foreach (var svc in ns.Services)
            {
                Label(svc.Origin.At("/name"), "service name", svc.Name);
                if (svc.InBase == false && ns.Base is { Found: true } found) _out.Add(ExistingNotInBase(svc.Origin.At("/name"), svc.Name, found.Services));
                services.Add(svc.Name, svc.Origin.At("/name"));
                CheckService(ns, svc, workloads);
                foreach (var route in svc.Routes)
                {
                    var r = route.Origin;
                    if (r.Has("/name")) Subdomain(r.At("/name"), "route name", route.Name);
                    mappings.Add($"{ns.Name}/{route.Name}", r.AtOr("/name", ""));
                    CheckRoute(r, route.Prefix, route.Hostname, routes);
                    if (!svc.Existing && svc.Ports.Count == 0)
                    {
                        _out.Add(RouteToServiceWithoutPorts(r.At(), svc.Name));
                    }
                    else if (r.Has("/port") && svc.Ports.Count > 0 && svc.Ports.All(p => p.ServicePort != route.Port))
                    {
                        _out.Add(UnknownPortReference(r.At("/port"), route.PortWritten ?? Text(route.Port), svc.Ports.Select(p => $"{p.Name} ({Text(p.ServicePort)})")));
                    }
                    foreach (var field in (route.Extra ?? []).Select(kv => kv.Key).Where(GeneratedMappingFields.Contains))
                    {
                        _out.Add(MappingFieldGenerated(r.KeyAt("/mapping/" + field), field));
                    }
                }
                CheckExport(svc);
            }
        }
        foreach (var remote in _mesh.Multicluster?.Remotes ?? [])
        {
            CheckRoute(remote.Origin, remote.Prefix, remote.Hostname, routes);
        }
    }

    private void CheckRoute(Origin route, string prefix, string hostname, Dictionary<string, SourceLocation> routes)
    {
        if (!prefix.StartsWith('/'))
        {
            _out.Add(PrefixNotAbsolute(route.At("/prefix"), prefix));
        }
        if (!KubernetesNames.IsHostnameGlob(hostname))
        {
            _out.Add(HostnameInvalid(route.At("/hostname"), hostname));
        }
        var key = $"{hostname} {prefix}";
        if (routes.TryGetValue(key, out var first))
        {
            _out.Add(DuplicateRoute(route.At("/prefix"), hostname, prefix, first));
        }
        else
        {
            routes[key] = route.At("/prefix");
        }
    }

    private void CheckService(ResolvedNamespace ns, ResolvedService svc, Unique workloads)
    {
        var o = svc.Origin;
        var workload = _workloads.GetValueOrDefault(o.Pointer);
        if (svc.Existing)
        {
            foreach (var field in WorkloadFields.Where(f => o.Has("/" + f)))
            {
                _out.Add(ExistingWithWorkload(o.KeyAt("/" + field), svc.Name, field));
            }
            if (o.Has("/calls") && svc.ServiceAccount is null)
            {
                _out.Add(CallerIdentityUnknown(o.KeyAt("/calls"), svc.Name));
            }
        }
        else
        {
            if (o.Has("/workload")) Subdomain(o.At("/workload"), "workload name", svc.Workload);
            workloads.Add(svc.Workload, o.AtOr("/workload", "/name"));
            if (!o.Has("/image")) _out.Add(MissingImage(o.At(), svc.Name));
            if (o.Has("/container")) Label(o.At("/container"), "container name", workload!.Container);
            if (workload!.Kind == "DaemonSet" && o.Has("/replicas")) _out.Add(FieldHasNoEffect(o.KeyAt("/replicas"), "replicas", "a DaemonSet runs one pod a node"));
            if (o.Has("/serviceAccount")) Subdomain(o.Has("/serviceAccount/name") ? o.At("/serviceAccount/name") : o.At("/serviceAccount"), "service account", workload!.ServiceAccount);
        }

        var names = Names("port name");
        var servicePorts = Ports("servicePort");
        var containerPorts = Ports("containerPort");
        // Ports read from the namespace's base are the real Service's: nothing of them was written here.
        var written = svc.InBase != true || o.Has("/ports");
        for (var i = 0; written && i < svc.Ports.Count; i++)
        {
            var port = svc.Ports[i];
            var p = port.Origin;
            if (!p.Has("/containerPort") && !p.Has("/servicePort"))
            {
                _out.Add(MissingField(p.At(), "containerPort", $"port {i + 1} of service '{svc.Name}'", "give containerPort, servicePort or both"));
                continue;
            }
            if (p.Has("/name") && !KubernetesNames.IsPortName(port.Name))
            {
                _out.Add(InvalidName(p.At("/name"), "port name", port.Name, 15));
            }
            names.Add(port.Name, p.AtOr("/name", ""));
            servicePorts.Add(Text(port.ServicePort), p.AtOr("/servicePort", ""));
            if (!svc.Existing)
            {
                var at = p.AtOr("/containerPort", "");
                containerPorts.Add(Text(port.ContainerPort), at);
                if (ProxyPorts.Contains(port.ContainerPort))
                {
                    _out.Add(ReservedProxyPort(at, port.ContainerPort));
                }
            }
        }

        if (workload is null) return;
        CheckProbePort(workload.Readiness, svc.Ports);
        CheckProbePort(workload.Liveness, svc.Ports);
        CheckProbePort(workload.Startup, svc.Ports);
        foreach (var env in workload.Env.Where(e => !KubernetesNames.IsEnvName(e.Name)))
        {
            _out.Add(InvalidEnvName(env.Origin.KeyAt(""), env.Name));
        }
        CheckProxy(workload.Proxy, ns.Proxy);
        if (workload.Patch is { } patch && KubernetesTypes.Check(workload.Kind, patch) is var (pointer, problem))
        {
            var at = problem.Contains("no field", StringComparison.Ordinal) ? o.KeyAt("/patch" + pointer) : o.At("/patch" + pointer);
            _out.Add(PatchFieldInvalid(at, pointer.Length == 0 ? "patch" : "patch" + pointer.Replace('/', '.'), problem));
        }
    }

    /// <summary>Mapping spec fields the tool writes itself: `mapping:` may not set them.</summary>
    private static readonly HashSet<string> GeneratedMappingFields =
        ["hostname", "prefix", "service", "rewrite", "add_linkerd_headers", "remove_request_headers", "bypass_auth", "timeout_ms", "ambassador_id", "grpc", "weight", "host_rewrite", "headers"];

    private void CheckProbePort(ResolvedProbe? probe, IReadOnlyList<ResolvedPort> ports)
    {
        if (probe is null) return;
        var o = probe.Origin;
        var kinds = new[] { "/path", "/tcp", "/grpc", "/exec" }.Count(o.Has);
        if (kinds != 1)
        {
            _out.Add(ProbeKind(o.At(), kinds == 0 ? "none" : "more than one"));
            return;
        }
        if (o.Has("/port") && !o.Has("/path"))
        {
            _out.Add(FieldHasNoEffect(o.KeyAt("/port"), "port", "only an httpGet probe has it (tcp and grpc name their own port)"));
        }
        var portAt = o.Has("/tcp") ? "/tcp" : "/port";
        if (probe is { PortName: { } name } && o.Has(portAt) && ports.All(p => p.Name != name))
        {
            _out.Add(UnknownPortReference(o.At(portAt), name, ports.Select(p => p.Name)));
        }
    }

    private void CheckExport(ResolvedService svc)
    {
        if (svc.Export is not { } export) return;
        var (supported, since) = export switch
        {
            ExportMode.RemoteDiscovery => (_release.RemoteDiscovery, LinkerdReleases.All.First(r => r.RemoteDiscovery).Version),
            ExportMode.Federated => (_release.Federated, LinkerdReleases.All.First(r => r.Federated).Version),
            _ => (true, LinkerdReleases.Oldest),
        };
        if (!supported)
        {
            _out.Add(NeedsVersion(svc.Origin.At("/export"), $"export: {export.Value()}", since.ToString(), _version.ToString()));
        }
        if (!_mesh.IsTarget)
        {
            _out.Add(RoleFieldUnused(svc.Origin.KeyAt("/export"), "export", _mesh.Role.Value()));
        }
    }

    private void CheckPolicy()
    {
        foreach (var ns in _mesh.Namespaces.Where(n => n.Policed && _mesh.Linkerd.Release.ServerApiVersion is null))
        {
            _out.Add(NeedsVersion(ns.Origin.Has("/policy/mode") ? ns.Origin.At("/policy/mode") : _mesh.Origin.At("/policy/mode"), "policy.mode: calls", "2.11", _version.ToString()));
        }
        // No base, so nothing shows the pods (a base that lacks the service is an error of its own).
        foreach (var svc in _mesh.Services.Where(s => s.Existing && s.InBase is null))
        {
            if (_mesh.Namespaces.FirstOrDefault(n => n.Name == svc.Namespace) is { Policed: true }) _out.Add(ExistingUnguarded(svc.Origin.KeyAt("/existing"), svc.Name));
        }
        // Looked up, not searched: a fleet's mesh has tens of thousands of calls and ports.
        var serviceNamed = new Dictionary<(string Namespace, string Name), ResolvedService>();
        foreach (var s in _mesh.Services) serviceNamed.TryAdd((s.Namespace, s.Name), s);
        var serviceNamesIn = _mesh.Services.ToLookup(s => s.Namespace, s => s.Name);
        // Policy is enforced, and identity carried, only by a proxy. A namespace the bundle creates without `inject` (or with
        // it disabled) has none; one that exists already may be annotated in the cluster, so it is not judged.
        bool Unmeshed(ResolvedNamespace n) => n.Inject == InjectMode.Disabled || (n.Inject is null && n.Create);
        var namespaceNamed = new Dictionary<string, ResolvedNamespace>(StringComparer.Ordinal);
        foreach (var n in _mesh.Namespaces) namespaceNamed.TryAdd(n.Name, n);
        foreach (var ns in _mesh.Namespaces.Where(n => n.Policed && Unmeshed(n)))
        {
            _out.Add(PolicyInUnmeshedNamespace(ns.Origin.Has("/inject") ? ns.Origin.At("/inject") : ns.Origin.At("/name"), ns.Name));
        }
        // Calls without identity: another cluster is reached only by a proxy; here, a target refuses them when its namespace
        // is under calls policy, or when its pods' default inbound policy (theirs, else their namespace's) asks for identity.
        var podsOf = new Dictionary<(string Namespace, string Service), ResolvedWorkload>();
        var named = new Dictionary<(string Namespace, string Name), ResolvedWorkload>();
        foreach (var w in _mesh.Workloads)
        {
            podsOf.TryAdd((w.Namespace, w.Service), w);
            named.TryAdd((w.Namespace, w.Name), w);
        }
        // A base's workload whose pods Linkerd never injects (hostNetwork) has no identity in any namespace.
        var uninjectable = new Dictionary<(string Namespace, string Name), IReadOnlyList<string>>();
        foreach (var n in _mesh.Namespaces)
        {
            foreach (var w in n.Base?.Workloads ?? []) if (w.InjectRefusals.Count > 0) uninjectable.TryAdd((n.Name, w.Target.Name), w.InjectRefusals);
        }
        foreach (var call in _mesh.Calls)
        {
            var refusedBy = uninjectable.GetValueOrDefault((call.FromNamespace, call.FromWorkload));
            if (refusedBy is null)
            {
                if (namespaceNamed.GetValueOrDefault(call.FromNamespace) is not { } from || !Unmeshed(from)) continue;
                // A caller whose own pods ask for the proxy (podAnnotations) is meshed in any namespace.
                var own = named.GetValueOrDefault((call.FromNamespace, call.FromWorkload))?.PodAnnotations.FirstOrDefault(a => a.Key == ProxySettings.InjectAnnotation)?.Value;
                if (ProxySettings.Injects(own)) continue;
            }
            var name = call.Cluster is null ? $"{call.Namespace}/{call.Service}" : $"{call.Cluster}/{call.Namespace}/{call.Service}";
            var target = call.Cluster is null ? namespaceNamed.GetValueOrDefault(call.Namespace) : null;
            var policy = podsOf.GetValueOrDefault((call.Namespace, call.Service))?.Proxy.FirstOrDefault(p => p.Key == ProxySettings.DefaultInboundPolicyAnnotation)?.Value
                ?? target?.Annotations.FirstOrDefault(a => a.Key == ProxySettings.DefaultInboundPolicyAnnotation)?.Value;
            var refusal = call.Cluster is not null ? $"and only a meshed workload reaches another cluster's mirror ('{name}')"
                : target is { Policed: true } ? $"so the policy of '{name}' denies them"
                : policy is not null && !ProxySettings.DefaultInboundAdmits(policy, authenticated: false) ? $"so the default inbound policy of '{name}' ({policy}) denies them"
                : null;
            if (refusal is null) continue;
            _out.Add(refusedBy is null ? CallsFromUnmeshedNamespace(call.Origin.At(), call.FromWorkload, call.FromNamespace, refusal)
                : CallsFromUninjectable(call.Origin.At(), call.FromWorkload, string.Join(", ", refusedBy), refusal));
        }
        // Another cluster's service is reached through its mirror here, which only a link makes.
        foreach (var call in _mesh.Calls.Where(c => c.Cluster is not null && !_mesh.IsSource))
        {
            _out.Add(CallNeedsSourceRole(call.Origin.At("/cluster"), call.Cluster!, _mesh.Role.Value()));
        }
        foreach (var call in _mesh.Calls.Where(c => !c.Found))
        {
            if (call.Cluster is not null && !call.ClusterInRun)
            {
                _out.Add(RemoteClusterNotInRun(call.Origin.At("/cluster"), call.Cluster, "call"));
                continue;
            }
            var target = call.Cluster is null ? $"{call.Namespace}/{call.Service}" : $"{call.Cluster}/{call.Namespace}/{call.Service}";
            var there = call.Cluster is not null ? []
                : serviceNamesIn[call.Namespace]
                    .Concat(_mesh.Namespaces.Where(n => n.Name == call.Namespace).SelectMany(n => n.Base?.Services ?? [])).Distinct();
            _out.Add(CallTargetUnknown(call.Origin.At(), target, there));
        }
        foreach (var call in _mesh.Calls.Where(c => c.Found && c.Cluster is null))
        {
            if (serviceNamed.GetValueOrDefault((call.Namespace, call.Service)) is { Existing: false, HasService: false })
            {
                _out.Add(CallTargetWithoutPorts(call.Origin.At(), $"{call.Namespace}/{call.Service}"));
            }
        }
        foreach (var policy in _mesh.Policies.Where(p => p.Unauthenticated))
        {
            _out.Add(AdminServerForProbes(policy.Origin.At(), policy.Service));
        }
        foreach (var policy in _mesh.Policies.Where(p => !p.Unauthenticated))
        {
            if (policy.Callers.Count == 0) _out.Add(PortNobodyMayCall(policy.Origin.At(), policy.Service, policy.Port));
            // The pods' probes (the bundle's workload's, or an existing service's base's) on the container port the Service port targets.
            var service = serviceNamed[(policy.Namespace, policy.Service)];
            var podPort = service.Ports.FirstOrDefault(p => p.ServicePort == policy.ServicePort)?.ContainerPort;
            foreach (var probe in service.PodProbes.Where(p => p.Kind is "tcpSocket" or "grpc" && p.Port is not null && p.Port == podPort))
            {
                _out.Add(ProbeDeniedByPolicy(probe.Origin?.At() ?? service.Origin.KeyAt("/existing"), probe.Kind == "grpc" ? "grpc" : "tcp", policy.Port));
            }
        }
    }

    private void CheckMulticluster()
    {
        var o = _mesh.Origin.Child("/multicluster");
        var role = _mesh.Role.Value();
        if (!_mesh.IsTarget)
        {
            if (o.Has("/gatewayPort")) _out.Add(RoleFieldUnused(o.KeyAt("/gatewayPort"), "gatewayPort", role));
            if (o.Has("/probe")) _out.Add(RoleFieldUnused(o.KeyAt("/probe"), "probe", role));
        }
        if (!_mesh.IsSource && o.Has("/remotes"))
        {
            _out.Add(RoleFieldUnused(o.KeyAt("/remotes"), "remotes", role));
        }
        if (_mesh.Multicluster is not { } mc)
        {
            if (o.Has("/requireIdentityOnInboundPorts")) _out.Add(RoleFieldUnused(o.KeyAt("/requireIdentityOnInboundPorts"), "requireIdentityOnInboundPorts", role));
            return;
        }
        if (_mesh.IsTarget && mc.UsesGateway)
        {
            var gatewayPorts = _mesh.Gateway.Ports;
            if (gatewayPorts.All(p => p.Port != mc.ProbePort))
            {
                _out.Add(ProbePortNotAGatewayPort(o.AtOr("/probe/port", "/role"), mc.ProbePort, gatewayPorts.Select(p => p.Port)));
            }
            if (gatewayPorts.Any(p => p.Port == mc.GatewayPort))
            {
                _out.Add(PortClash(o.AtOr("/gatewayPort", "/role"), "gateway Service port", mc.GatewayPort, _mesh.Origin.At("/gateway/ports")));
            }
            // The guide's design is Linkerd 2.8's: exports annotated with the gateway; later versions stopped documenting it.
            if (_release.ExportStyle != ExportStyle.GatewayAnnotations)
            {
                _out.Add(EmissaryAsMulticlusterGateway(o.At("/role"), _version.ToString()));
            }
        }
        if (o.Has("/requireIdentityOnInboundPorts"))
        {
            var list = o.Child("/requireIdentityOnInboundPorts");
            CheckPortList(list, mc.RequireIdentityOnInboundPorts);
            for (var i = 0; i < mc.RequireIdentityOnInboundPorts.Count; i++)
            {
                if (mc.RequireIdentityOnInboundPorts[i] == "4183") _out.Add(GuidePort4183(list.At($"/{i}")));
            }
        }
        foreach (var remote in mc.Remotes)
        {
            Label(remote.Origin.At("/cluster"), "cluster name", remote.Cluster);
            Label(remote.Origin.At("/namespace"), "namespace", remote.Namespace);
            Label(remote.Origin.At("/service"), "service name", remote.Service);
            if (remote.Cluster == _mesh.Cluster)
            {
                _out.Add(SchemaOther(remote.Origin.At("/cluster"), "cluster", $"a remote must name another cluster, not this one ('{remote.Cluster}')"));
            }
        }
    }

    /// <param name="inherited">The namespace's settings, which its pods inherit (for the rules that combine two settings).</param>
    private void CheckProxy(IReadOnlyList<ResolvedSetting> proxy, IReadOnlyList<ResolvedSetting>? inherited = null)
    {
        foreach (var s in proxy)
        {
            var field = s.Setting.Field;
            if (_version < s.Setting.Since)
            {
                _out.Add(NeedsVersion(s.Origin.KeyAt(""), $"proxy.{field} ({s.Key})", s.Setting.Since.ToString(), _version.ToString()));
            }
            else if (!s.Setting.ExistsIn(_version))
            {
                _out.Add(SettingNotInVersion(s.Origin.KeyAt(""), $"proxy.{field} ({s.Key})", s.Setting.Versions, _version.ToString(),
                    field is "initImage" or "initImageVersion" ? "remove it: from Linkerd 2.20 linkerd-init runs the proxy image (proxy.image, proxy.version)" : null));
            }
            if (s.Setting.Kind == ProxyValueKind.PortList && s.IsList)
            {
                CheckPortList(s.Origin, s.Items);
            }
            if (s.Setting.Kind == ProxyValueKind.Quantity && !s.IsList
                && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var quantity) && quantity < 0)
            {
                _out.Add(InvalidSettingValue(s.Origin.At(), $"proxy.{field}", s.Value, "a non-negative quantity"));
            }
        }
        // Native sidecars and the preStop wait: 2.15–2.19's injector refuses the pair; 2.20 ignores the wait.
        if (proxy.FirstOrDefault(s => s.Setting.Field == "waitBeforeExitSeconds") is { } wait && wait.Value != "0")
        {
            var native = proxy.Concat(inherited ?? []).FirstOrDefault(s => s.Setting.Field == "nativeSidecar")?.Value;
            if (native == "true" && !_release.NativeSidecarDefault && _release.NativeSidecarKey is not null)
            {
                _out.Add(NativeSidecarWithWaitBeforeExit(wait.Origin.KeyAt(""), _version.ToString()));
            }
            else if (native != "false" && _release.NativeSidecarDefault)
            {
                _out.Add(WaitBeforeExitIgnored(wait.Origin.KeyAt("")));
            }
        }
    }

    /// <summary>Ranges "lo-hi" need lo ≤ hi, both within 1-65535 (the schema checks the shape).</summary>
    private void CheckPortList(Origin list, IReadOnlyList<string> ports)
    {
        for (var i = 0; i < ports.Count; i++)
        {
            if (PortRange.Parse(ports[i]) is { } range && !range.IsWithin(1, 65535))
            {
                var at = list.At($"/{i}");
                _out.Add(range.Low == range.High
                    ? InvalidSettingValue(at, "port", ports[i], "a port from 1 to 65535")
                    : InvalidSettingValue(at, "port range", ports[i], "lo-hi with 1 ≤ lo ≤ hi ≤ 65535"));
            }
        }
    }
}
