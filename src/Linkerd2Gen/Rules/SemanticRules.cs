using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Kubernetes;
using Linkerd2Gen.Linkerd;
using Linkerd2Gen.Model;
using Linkerd2Gen.Resolve;
using Linkerd2Gen.Yaml;
using static Linkerd2Gen.Diagnostics.DiagnosticCatalog;

namespace Linkerd2Gen.Rules;

/// <summary>
/// What a schema cannot say: names, uniqueness, cross-references, port clashes, version gates and role
/// rules. Runs only on a document that passed the schema, so types are known; reports every finding.
/// </summary>
public sealed class SemanticRules
{
    private static readonly int[] ProxyPorts = [4140, 4143, 4190, 4191];

    private readonly MeshInput _mesh;
    private readonly SourceMap _map;
    private readonly DiagnosticBag _out;
    private readonly LinkerdVersion _version;
    private readonly MulticlusterRole _role;

    private SemanticRules(MeshInput mesh, SourceMap map, DiagnosticBag diagnostics)
    {
        _mesh = mesh;
        _map = map;
        _out = diagnostics;
        _version = Defaults.Version(mesh);
        _role = Defaults.Role(mesh);
    }

    public static void Check(MeshInput mesh, SourceMap map, DiagnosticBag diagnostics)
    {
        var rules = new SemanticRules(mesh, map, diagnostics);
        rules.CheckMetadata();
        rules.CheckGateway();
        rules.CheckNamespaces();
        rules.CheckMulticluster();
    }

    private SourceLocation At(string pointer) => _map.Value(pointer);
    private SourceLocation KeyAt(string pointer) => _map.Key(pointer);

    private void Label(string pointer, string what, string? name)
    {
        if (name is not null && !KubernetesNames.IsDns1123Label(name))
        {
            _out.Add(InvalidName(At(pointer), what, name, 63));
        }
    }

    private void Subdomain(string pointer, string what, string? name)
    {
        if (name is not null && !KubernetesNames.IsDns1123Subdomain(name))
        {
            _out.Add(InvalidName(At(pointer), what, name, 253));
        }
    }

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

    private void CheckMetadata()
    {
        Label("/metadata/name", "cluster name", _mesh.Metadata.Name);
        Label("/linkerd/controlPlaneNamespace", "control plane namespace", _mesh.Linkerd?.ControlPlaneNamespace);
        if (_mesh.Linkerd?.TrustDomain is { } td && !KubernetesNames.IsDns1123Subdomain(td))
        {
            _out.Add(InvalidName(At("/linkerd/trustDomain"), "trust domain", td, 253));
        }
    }

    private void CheckGateway()
    {
        var g = _mesh.Gateway;
        if (g is null)
        {
            return;
        }
        Subdomain("/gateway/name", "gateway name", g.Name);
        Label("/gateway/namespace", "gateway namespace", g.Namespace);
        Subdomain("/gateway/serviceAccount", "gateway service account", g.ServiceAccount);

        if (g.InjectMode == "ingress" && _version < new LinkerdVersion(9))
        {
            _out.Add(NeedsVersion(At("/gateway/injectMode"), "injectMode: ingress", "2.9", _version.ToString()));
        }

        var names = new Unique((n, first) => DuplicateName(default, "gateway port name", n, first), _out);
        var ports = new Unique((n, first) => PortClash(default, "gateway port", int.Parse(n, CultureInfo.InvariantCulture), first), _out);
        var targets = new Unique((n, first) => PortClash(default, "gateway targetPort", int.Parse(n, CultureInfo.InvariantCulture), first), _out);
        var resolved = Defaults.GatewayPorts(g);
        for (var i = 0; i < (g.Ports?.Count ?? 0); i++)
        {
            var p = $"/gateway/ports/{i}";
            if (g.Ports![i].Name is { } name && !KubernetesNames.IsPortName(name))
            {
                _out.Add(InvalidName(At(p + "/name"), "port name", name, 15));
            }
            names.Add(resolved[i].Name, At(p));
            ports.Add(resolved[i].Port.ToString(CultureInfo.InvariantCulture), At(p + "/port"));
            targets.Add(resolved[i].TargetPort.ToString(CultureInfo.InvariantCulture), At(g.Ports[i].TargetPort is null ? p + "/port" : p + "/targetPort"));
        }

        if (g.SkipInboundPorts is { } skip)
        {
            CheckPortList("/gateway/skipInboundPorts", skip);
            var listening = resolved.Select(p => p.TargetPort).ToHashSet();
            var texts = skip.Select(JsonScalar.Text).ToList();
            if ((texts.Contains("80") && !listening.Contains(80)) || (texts.Contains("443") && !listening.Contains(443)))
            {
                _out.Add(GuideSkipPorts80443(At("/gateway/skipInboundPorts"), string.Join(",", listening.Order())));
            }
        }

        foreach (var dedicated in new[] { "skipInboundPorts", "requireIdentityOnInboundPorts" })
        {
            if (g.Proxy?.ContainsKey(dedicated) == true)
            {
                var owner = dedicated == "skipInboundPorts" ? "gateway.skipInboundPorts" : "multicluster.requireIdentityOnInboundPorts";
                _out.Add(SchemaOther(KeyAt($"/gateway/proxy/{dedicated}"), $"gateway.proxy.{dedicated}", $"set it with {owner}, which the gateway's annotations are derived from"));
            }
        }
        CheckProxy("/gateway/proxy", g.Proxy);
        if (g.Base is { } baseDir && GatewayBase.KustomizationIn(GatewayBase.FullPath(_map.File, baseDir)) is null)
        {
            _out.Add(BaseNotAKustomization(At("/gateway/base"), baseDir));
        }

        var hostNames = new Unique((n, first) => DuplicateName(default, "host", n, first), _out);
        for (var i = 0; i < (g.Hosts?.Count ?? 0); i++)
        {
            var p = $"/gateway/hosts/{i}";
            var host = g.Hosts![i];
            Subdomain(p + "/name", "host name", host.Name);
            if (!KubernetesNames.IsHostnameGlob(host.Hostname))
            {
                _out.Add(HostnameInvalid(At(p + "/hostname"), host.Hostname));
            }
            hostNames.Add(Defaults.HostName(host), At(host.Name is null ? p + "/hostname" : p + "/name"));
            var insecure = Defaults.HostInsecure(_mesh, host);
            if (_role is MulticlusterRole.Target or MulticlusterRole.Both && insecure != "Route")
            {
                _out.Add(TargetHostMustRoute(At(p + "/insecure"), host.Hostname, insecure));
            }
            if (insecure == "Redirect" && host.TlsSecret is null && (host.Acme ?? "none") == "none")
            {
                _out.Add(HostRedirectWithoutTls(At(p), host.Hostname));
            }
        }
    }

    private void CheckNamespaces()
    {
        var namespaces = new Unique((n, first) => DuplicateName(default, "namespace", n, first), _out);
        var mappings = new Unique((n, first) => DuplicateName(default, "route (Mapping)", n, first), _out);
        var routes = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        for (var n = 0; n < (_mesh.Namespaces?.Count ?? 0); n++)
        {
            var ns = _mesh.Namespaces![n];
            var np = $"/namespaces/{n}";
            Label(np + "/name", "namespace", ns.Name);
            namespaces.Add(ns.Name, At(np + "/name"));
            if (ns.Inject == "ingress" && _version < new LinkerdVersion(9))
            {
                _out.Add(NeedsVersion(At(np + "/inject"), "inject: ingress", "2.9", _version.ToString()));
            }
            CheckProxy(np + "/proxy", ns.Proxy);

            var services = new Unique((s, first) => DuplicateName(default, "service", s, first), _out);
            var workloads = new Unique((w, first) => DuplicateName(default, "workload (Deployment)", w, first), _out);
            for (var s = 0; s < (ns.Services?.Count ?? 0); s++)
            {
                var svc = ns.Services![s];
                var sp = $"{np}/services/{s}";
                Label(sp + "/name", "service name", svc.Name);
                services.Add(svc.Name, At(sp + "/name"));
                CheckService(svc, sp, workloads);
                for (var r = 0; r < (svc.Routes?.Count ?? 0); r++)
                {
                    var route = svc.Routes![r];
                    var rp = $"{sp}/routes/{r}";
                    var name = Defaults.RouteName(svc, r);
                    Subdomain(rp + "/name", "route name", route.Name);
                    mappings.Add($"{ns.Name}/{name}", At(route.Name is null ? rp : rp + "/name"));
                    CheckRoute(rp, route.Prefix, route.Hostname, routes);
                    if (route.Port is { } port && svc.Ports is not null && Defaults.ServicePorts(svc).All(x => x.ServicePort != port))
                    {
                        _out.Add(UnknownPortReference(At(rp + "/port"), port.ToString(CultureInfo.InvariantCulture), Defaults.ServicePorts(svc).Select(x => x.ServicePort.ToString(CultureInfo.InvariantCulture))));
                    }
                }
                CheckExport(sp, svc);
            }
        }
        for (var r = 0; r < (_mesh.Multicluster?.Remotes?.Count ?? 0); r++)
        {
            var remote = _mesh.Multicluster!.Remotes![r];
            CheckRoute($"/multicluster/remotes/{r}", remote.Prefix, remote.Hostname, routes);
        }
    }

    private void CheckRoute(string pointer, string prefix, string? hostname, Dictionary<string, SourceLocation> routes)
    {
        if (!prefix.StartsWith('/'))
        {
            _out.Add(PrefixNotAbsolute(At(pointer + "/prefix"), prefix));
        }
        var host = hostname ?? Defaults.RouteHostname;
        if (!KubernetesNames.IsHostnameGlob(host))
        {
            _out.Add(HostnameInvalid(At(pointer + "/hostname"), host));
        }
        var key = $"{host} {prefix}";
        if (routes.TryGetValue(key, out var first))
        {
            _out.Add(DuplicateRoute(At(pointer + "/prefix"), host, prefix, first));
        }
        else
        {
            routes[key] = At(pointer + "/prefix");
        }
    }

    private void CheckService(ServiceInput svc, string sp, Unique workloads)
    {
        if (svc.Existing == true)
        {
            foreach (var (field, set) in new (string, bool)[]
            {
                ("workload", svc.Workload is not null), ("image", svc.Image is not null), ("replicas", svc.Replicas is not null),
                ("serviceAccount", svc.ServiceAccount is not null), ("command", svc.Command is not null), ("args", svc.Args is not null),
                ("env", svc.Env is not null), ("readiness", svc.Readiness is not null), ("liveness", svc.Liveness is not null),
                ("resources", svc.Resources is not null), ("proxy", svc.Proxy is not null),
            })
            {
                if (set) _out.Add(ExistingWithWorkload(KeyAt($"{sp}/{field}"), svc.Name, field));
            }
        }
        else
        {
            Subdomain(sp + "/workload", "workload name", svc.Workload);
            workloads.Add(Defaults.WorkloadName(svc), At(svc.Workload is null ? sp + "/name" : sp + "/workload"));
            if (svc.Image is null) _out.Add(MissingImage(At(sp), svc.Name));
            if (svc.Ports is null) _out.Add(MissingField(At(sp), "ports", $"service '{svc.Name}'", "a Service needs at least one port, e.g. [{name: http, containerPort: 8080, servicePort: 80}]"));
            Subdomain(sp + "/serviceAccount", "service account", svc.ServiceAccount);
        }

        var resolved = Defaults.ServicePorts(svc);
        var names = new Unique((n, first) => DuplicateName(default, "port name", n, first), _out);
        var servicePorts = new Unique((n, first) => PortClash(default, "servicePort", int.Parse(n, CultureInfo.InvariantCulture), first), _out);
        var containerPorts = new Unique((n, first) => PortClash(default, "containerPort", int.Parse(n, CultureInfo.InvariantCulture), first), _out);
        for (var i = 0; i < resolved.Count; i++)
        {
            var pp = $"{sp}/ports/{i}";
            var input = svc.Ports![i];
            if (input.ContainerPort is null && input.ServicePort is null)
            {
                _out.Add(MissingField(At(pp), "containerPort", $"port {i + 1} of service '{svc.Name}'", "give containerPort, servicePort or both"));
                continue;
            }
            if (input.Name is { } name && !KubernetesNames.IsPortName(name))
            {
                _out.Add(InvalidName(At(pp + "/name"), "port name", name, 15));
            }
            names.Add(resolved[i].Name, At(input.Name is null ? pp : pp + "/name"));
            servicePorts.Add($"{resolved[i].ServicePort}", At(input.ServicePort is null ? pp : pp + "/servicePort"));
            if (svc.Existing != true)
            {
                var cpAt = At(input.ContainerPort is null ? pp : pp + "/containerPort");
                containerPorts.Add($"{resolved[i].ContainerPort}", cpAt);
                if (ProxyPorts.Contains(resolved[i].ContainerPort))
                {
                    _out.Add(ReservedProxyPort(cpAt, resolved[i].ContainerPort));
                }
            }
        }

        CheckProbePort(sp + "/readiness", svc.Readiness, resolved);
        CheckProbePort(sp + "/liveness", svc.Liveness, resolved);

        foreach (var (name, _) in svc.Env ?? [])
        {
            if (!KubernetesNames.IsEnvName(name))
            {
                _out.Add(InvalidEnvName(KeyAt($"{sp}/env/{SourceMap.Escape(name)}"), name));
            }
        }
        CheckProxy(sp + "/proxy", svc.Proxy);
    }

    private void CheckProbePort(string pointer, ProbeInput? probe, IReadOnlyList<ResolvedPort> ports)
    {
        if (probe?.Port is { } port && port.GetValueKind() == JsonValueKind.String && ports.All(p => p.Name != port.GetValue<string>()))
        {
            _out.Add(UnknownPortReference(At(pointer + "/port"), port.GetValue<string>(), ports.Select(p => p.Name)));
        }
    }

    private void CheckExport(string sp, ServiceInput svc)
    {
        switch (svc.Export)
        {
            case null:
                return;
            case var e when e.GetValueKind() == JsonValueKind.String:
                var (feature, min) = e.GetValue<string>() == "remote-discovery" ? ("export: remote-discovery", 14) : ("export: federated", 17);
                if (_version < new LinkerdVersion(min))
                {
                    _out.Add(NeedsVersion(At(sp + "/export"), feature, $"2.{min}", _version.ToString()));
                }
                break;
        }
        if (svc.Export.GetValueKind() != JsonValueKind.False && _role is MulticlusterRole.None or MulticlusterRole.Source)
        {
            _out.Add(RoleFieldUnused(KeyAt(sp + "/export"), "export", _role.ToString().ToLowerInvariant()));
        }
    }

    private void CheckMulticluster()
    {
        var mc = _mesh.Multicluster;
        if (mc is null)
        {
            return;
        }
        var role = _role.ToString().ToLowerInvariant();
        var isSource = _role is MulticlusterRole.Source or MulticlusterRole.Both;
        var isTarget = _role is MulticlusterRole.Target or MulticlusterRole.Both;
        if (!isTarget)
        {
            if (mc.GatewayPort is not null) _out.Add(RoleFieldUnused(KeyAt("/multicluster/gatewayPort"), "gatewayPort", role));
            if (mc.Probe is not null) _out.Add(RoleFieldUnused(KeyAt("/multicluster/probe"), "probe", role));
        }
        if (!isSource)
        {
            if (mc.Remotes is not null) _out.Add(RoleFieldUnused(KeyAt("/multicluster/remotes"), "remotes", role));
        }
        if (isTarget)
        {
            var gatewayPorts = Defaults.GatewayPorts(_mesh.Gateway);
            var probePort = mc.Probe?.Port ?? Defaults.ProbePort;
            var probeAt = At(mc.Probe?.Port is null ? "/multicluster/role" : "/multicluster/probe/port");
            var usesGateway = Defaults.UsesGateway(_mesh);
            if (usesGateway && gatewayPorts.All(p => p.Port != probePort))
            {
                _out.Add(ProbePortNotAGatewayPort(probeAt, probePort, gatewayPorts.Select(p => p.Port)));
            }
            var gatewayPort = mc.GatewayPort ?? Defaults.GatewayPort;
            if (usesGateway && gatewayPorts.Any(p => p.Port == gatewayPort))
            {
                _out.Add(PortClash(At(mc.GatewayPort is null ? "/multicluster/role" : "/multicluster/gatewayPort"), "gateway Service port", gatewayPort, At("/gateway/ports")));
            }
            if (usesGateway && _version >= new LinkerdVersion(9))
            {
                _out.Add(EmissaryAsMulticlusterGateway(At("/multicluster/role"), _version.ToString()));
            }
        }
        if (mc.RequireIdentityOnInboundPorts is { } ports)
        {
            CheckPortList("/multicluster/requireIdentityOnInboundPorts", ports);
            for (var i = 0; i < ports.Count; i++)
            {
                if (JsonScalar.Text(ports[i]) == "4183") _out.Add(GuidePort4183(At($"/multicluster/requireIdentityOnInboundPorts/{i}")));
            }
        }
        for (var r = 0; r < (mc.Remotes?.Count ?? 0); r++)
        {
            var remote = mc.Remotes![r];
            var rp = $"/multicluster/remotes/{r}";
            Label(rp + "/cluster", "cluster name", remote.Cluster);
            Label(rp + "/namespace", "namespace", remote.Namespace);
            Label(rp + "/service", "service name", remote.Service);
            if (remote.Cluster == _mesh.Metadata.Name)
            {
                _out.Add(SchemaOther(At(rp + "/cluster"), "cluster", $"a remote must name another cluster, not this one ('{remote.Cluster}')"));
            }
        }
    }

    private void CheckProxy(string pointer, JsonObject? proxy)
    {
        foreach (var (field, value) in proxy ?? [])
        {
            var setting = ProxySettings.ForField(field);
            var at = At($"{pointer}/{field}");
            if (_version < setting.Since)
            {
                _out.Add(NeedsVersion(KeyAt($"{pointer}/{field}"), $"proxy.{field} ({setting.Annotation})", setting.Since.ToString(), _version.ToString()));
            }
            if (setting.Kind == ProxyValueKind.PortList && value is JsonArray list)
            {
                CheckPortList($"{pointer}/{field}", list.Select(v => v!).ToList());
            }
            if (setting.Kind == ProxyValueKind.Quantity && value?.GetValueKind() == JsonValueKind.Number && value.GetValue<double>() < 0)
            {
                _out.Add(InvalidSettingValue(at, $"proxy.{field}", value.ToJsonString(), "a non-negative quantity"));
            }
        }
    }

    /// <summary>Ranges "lo-hi" need lo ≤ hi, both within 1-65535 (the schema checks the shape).</summary>
    private void CheckPortList(string pointer, IReadOnlyList<JsonNode> ports)
    {
        for (var i = 0; i < ports.Count; i++)
        {
            var text = JsonScalar.Text(ports[i]);
            if (PortRange.Parse(text) is { } range && !range.IsWithin(1, 65535))
            {
                _out.Add(range.Low == range.High
                    ? InvalidSettingValue(At($"{pointer}/{i}"), "port", text, "a port from 1 to 65535")
                    : InvalidSettingValue(At($"{pointer}/{i}"), "port range", text, "lo-hi with 1 ≤ lo ≤ hi ≤ 65535"));
            }
        }
    }
}
