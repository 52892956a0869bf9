using System.Globalization;
using System.Text;
using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Kubernetes;
using Linkerd2Gen.Linkerd;

namespace Linkerd2Gen.Model;

// The fully defaulted, immutable model: the rules check it and the templates render it. Every derived value
// (ports, identities, patch targets, file layout, plan commands) is computed once, in the resolver; each element
// keeps its Origin, so a rule reports at the line the user wrote (or the nearest one, for a defaulted value).

/// <summary>Where a resolved element came from: its JSON Pointer in the mesh file, and that file's source map.</summary>
public readonly record struct Origin(SourceMap Map, string Pointer)
{
    public static Origin Root(SourceMap map) => new(map, "");

    /// <summary>Where the value at <paramref name="child"/> stands (or its nearest written ancestor).</summary>
    public SourceLocation At(string child = "") => Map.Value(Pointer + child);

    /// <summary>Where the key naming <paramref name="child"/> stands.</summary>
    public SourceLocation KeyAt(string child) => Map.Key(Pointer + child);

    /// <summary>Whether the user wrote <paramref name="child"/> (false for a defaulted value).</summary>
    public bool Has(string child) => Map.Contains(Pointer + child);

    /// <summary>Where <paramref name="child"/> was written, else where <paramref name="fallback"/> was.</summary>
    public SourceLocation AtOr(string child, string fallback) => At(Has(child) ? child : fallback);

    public Origin Child(string child) => new(Map, Pointer + child);
}

public enum MulticlusterRole { None, Source, Target, Both }

public enum GatewayFlavor { Emissary, EdgeStack }

/// <summary>linkerd.io/inject: enabled | disabled | ingress.</summary>
public enum InjectMode { Enabled, Disabled, Ingress }

/// <summary>Where Emissary is told to add Linkerd's l5d-dst-override header: on each Mapping, in the ambassador Module, or nowhere.</summary>
public enum LinkerdHeaders { Mappings, Module, Off }

/// <summary>How a service is exported to linked clusters: through the gateway (`export: true`), pod-to-pod, or federated.</summary>
public enum ExportMode { Gateway, RemoteDiscovery, Federated }

/// <summary>What a Host does with cleartext requests.</summary>
public enum InsecureAction { Redirect, Route, Reject }

public static class ModeText
{
    /// <summary>The value as Kubernetes and Linkerd write it (linkerd.io/inject, mirror.linkerd.io/exported).</summary>
    public static string Value(this InjectMode mode) => mode.ToString().ToLowerInvariant();

    public static string Value(this ExportMode mode) => mode switch
    {
        ExportMode.Gateway => "true",
        ExportMode.RemoteDiscovery => "remote-discovery",
        _ => "federated",
    };

    public static string Value(this MulticlusterRole role) => role.ToString().ToLowerInvariant();
}

public sealed record ResolvedMesh(
    string Cluster,
    string SourceFile,
    Origin Origin,
    ResolvedLinkerd Linkerd,
    ResolvedGateway Gateway,
    MulticlusterRole Role,
    IReadOnlyList<ResolvedNamespace> Namespaces,
    IReadOnlyList<ResolvedWorkload> Workloads,
    IReadOnlyList<ResolvedService> Services,
    IReadOnlyList<ResolvedMapping> Mappings,
    IReadOnlyList<ResolvedListener> Listeners,
    IReadOnlyList<ResolvedHost> Hosts,
    IReadOnlyList<ResolvedPatch> Patches,
    ResolvedMulticluster? Multicluster,
    ResolvedLayout Layout,
    ResolvedPlan Plan)
{
    /// <summary>The authorization of every policed port (policy.mode: calls), by namespace, service and port.</summary>
    public IReadOnlyList<ResolvedPortPolicy> Policies { get; init; } = [];

    /// <summary>Every declared call, for the rules and the mesh picture.</summary>
    public IReadOnlyList<ResolvedCall> Calls { get; init; } = [];

    /// <summary>MESH.md's picture and access table.</summary>
    public ResolvedPicture? Picture { get; init; }

    public bool IsSource => Role is MulticlusterRole.Source or MulticlusterRole.Both;
    public bool IsTarget => Role is MulticlusterRole.Target or MulticlusterRole.Both;
}

public sealed record ResolvedLinkerd(LinkerdVersion Version, string ControlPlaneNamespace, string TrustDomain)
{
    /// <summary>What this version changes in the bundle.</summary>
    public LinkerdRelease Release => LinkerdReleases.Of(Version);

    public string VersionText => Version.ToString();

    /// <summary>The mTLS identity of a workload's ServiceAccount in this control plane ("*": every ServiceAccount of the namespace).</summary>
    public string IdentityOf(string serviceAccount, string @namespace) =>
        LinkerdIdentity.Of(serviceAccount, @namespace, ControlPlaneNamespace, TrustDomain);
}

/// <summary>One config.linkerd.io setting of a `proxy:` block: its annotation (the key the cluster's Linkerd version reads),
/// and its items for the rules.</summary>
public sealed record ResolvedSetting(ProxySetting Setting, string Key, string Value, IReadOnlyList<string> Items, bool IsList, Origin Origin)
{
    public KeyValue Annotation => new(Key, Value);
}

public sealed record ResolvedGatewayPort(string Name, int Port, int TargetPort, string Protocol, Origin Origin);

public sealed record ResolvedGateway(
    GatewayFlavor Flavor,
    string Name,
    string Namespace,
    string ServiceAccount,
    int AdminPort,
    IReadOnlyList<ResolvedGatewayPort> Ports,
    InjectMode InjectMode,
    LinkerdHeaders LinkerdHeaders,
    IReadOnlyList<string> AmbassadorId,
    string Identity,
    IReadOnlyList<KeyValue> PodAnnotations,
    string? Base,
    string? BaseAsWritten,
    IReadOnlyList<string> SkipInboundPorts,
    IReadOnlyList<ResolvedSetting> Proxy,
    Origin Origin);

public sealed record ResolvedNamespace(string Name, bool Create, IReadOnlyList<KeyValue> Annotations, InjectMode? Inject, IReadOnlyList<ResolvedSetting> Proxy, IReadOnlyList<ResolvedService> Services, Origin Origin)
{
    /// <summary>The namespace's own manifests (namespaces[].base), when it has them.</summary>
    public NamespaceBase? Base { get; init; }

    /// <summary>Whether policy.mode is calls here: its services' ports admit only their declared callers.</summary>
    public bool Policed { get; init; }
}

/// <summary>What a namespace's base holds, as far as the bundle cares.</summary>
/// <param name="Path">Its folder (full path); <paramref name="AsWritten"/> as the mesh file says it.</param>
/// <param name="Found">Whether the folder holds a kustomization (else a rule reports it).</param>
public sealed record NamespaceBase(string Path, string AsWritten, bool Found, bool HasNamespace, IReadOnlyList<string> Services, IReadOnlyList<BaseWorkload> Workloads);

/// <summary>A workload of a namespace's base, and the annotations its pod template already carries (Linkerd reads a pod's
/// own over its namespace's, so the bundle's patches leave them be).</summary>
/// <param name="InjectRefusals">Why Linkerd never injects its pods whatever their annotations (hostNetwork), if it does not.</param>
public sealed record BaseWorkload(ResolvedTarget Target, IReadOnlyList<KeyValue> PodAnnotations, IReadOnlyList<string> InjectRefusals)
{
    public string? PodAnnotation(string key) => PodAnnotations.FirstOrDefault(a => a.Key == key)?.Value;
}

/// <param name="AppProtocol">The Service port's appProtocol (Kubernetes' names), or null.</param>
/// <param name="Speaks">What the port speaks as written (http, http2, grpc, opaque, tcp), or null.</param>
public sealed record ResolvedPort(string Name, int ContainerPort, int ServicePort, string Protocol, string? AppProtocol, string? Speaks, Origin Origin)
{
    /// <summary>The pods' port by name, when an existing Service's targetPort names it (else <see cref="ContainerPort"/>).</summary>
    public string? TargetPortName { get; init; }
}

/// <summary>An environment variable: a literal value, or a reference (FieldPath, or Name+Key of a Secret/ConfigMap).</summary>
public sealed record ResolvedEnv(string Name, string? Value, string? FieldPath, string? SecretName, string? ConfigMapName, string? Key, Origin Origin);

/// <summary>A probe: httpGet (Path and a port), tcpSocket (a port), grpc (GrpcPort) or exec (Command).</summary>
public sealed record ResolvedProbe(string Kind, string? Path, string? PortName, int? PortNumber, int? GrpcPort, IReadOnlyList<string> Command,
    int? InitialDelaySeconds, int? PeriodSeconds, int? TimeoutSeconds, int? FailureThreshold, Origin Origin)
{
    public bool IsHttp => Kind == "httpGet";
    public bool IsTcp => Kind == "tcpSocket";
    public bool IsGrpc => Kind == "grpc";
    public bool IsExec => Kind == "exec";
}

/// <summary>Environment variables from every key of a ConfigMap or a Secret.</summary>
public sealed record ResolvedEnvFrom(string? ConfigMap, string? Secret);

/// <param name="Kind">Deployment, StatefulSet or DaemonSet.</param>
/// <param name="Selector">The labels that select its pods (workload, pods and Service).</param>
/// <param name="ServiceName">A StatefulSet's governing (headless) Service, or null.</param>
public sealed record ResolvedWorkload(
    string Name,
    string Namespace,
    string Service,
    string Kind,
    string Container,
    string Image,
    int Replicas,
    string ServiceAccount,
    bool CreateServiceAccount,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Args,
    IReadOnlyList<ResolvedPort> Ports,
    IReadOnlyList<ResolvedEnv> Env,
    IReadOnlyList<ResolvedEnvFrom> EnvFrom,
    ResolvedProbe? Readiness,
    ResolvedProbe? Liveness,
    ResolvedProbe? Startup,
    IReadOnlyList<KeyValue> Limits,
    IReadOnlyList<KeyValue> Requests,
    IReadOnlyList<KeyValue> Selector,
    IReadOnlyList<KeyValue> Labels,
    IReadOnlyList<KeyValue> Annotations,
    IReadOnlyList<KeyValue> PodLabels,
    IReadOnlyList<KeyValue> PodAnnotations,
    IReadOnlyList<ResolvedSetting> Proxy,
    string? ServiceName,
    string File,
    Origin Origin)
{
    public bool HasResources => Limits.Count > 0 || Requests.Count > 0;
    public bool HasReplicas => Kind != "DaemonSet";

    /// <summary>The user's strategic-merge patch of the rendered workload, or null.</summary>
    public System.Text.Json.Nodes.JsonObject? Patch { get; init; }
}

/// <summary>A Service the bundle owns (Existing = false) or patches (export of an existing one), with its routes.</summary>
/// <param name="Labels">Its labels besides its selector's (the user's and the export's), sorted.</param>
/// <param name="HeadlessName">A StatefulSet's headless Service, rendered beside it, or null.</param>
public sealed record ResolvedService(
    string Name,
    string Namespace,
    string Workload,
    bool Existing,
    string Type,
    IReadOnlyList<KeyValue> Selector,
    IReadOnlyList<ResolvedPort> Ports,
    IReadOnlyList<KeyValue> Labels,
    IReadOnlyList<KeyValue> Annotations,
    ExportMode? Export,
    IReadOnlyList<ResolvedMapping> Routes,
    string? HeadlessName,
    Origin Origin)
{
    /// <summary>A workload without ports gets no Service.</summary>
    public bool HasService => Ports.Count > 0;

    /// <summary>For an existing service of a namespace with a base: whether the base has it.</summary>
    public bool? InBase { get; init; }

    /// <summary>The ServiceAccount of its pods (their Linkerd identity), when known: the bundle's own, or the base's.</summary>
    public string? ServiceAccount { get; init; }

    /// <summary>The probes of its pods' containers: the bundle's workload's, or for an existing service its base's.</summary>
    public IReadOnlyList<PodProbe> PodProbes { get; init; } = [];

    /// <summary>The labels and annotations an export adds (for patches of an existing Service).</summary>
    public IReadOnlyList<KeyValue> ExportLabels { get; init; } = [];
    public IReadOnlyList<KeyValue> ExportAnnotations { get; init; } = [];
}

/// <param name="Port">The Service port the Mapping targets.</param>
public sealed record ResolvedMapping(
    string Name,
    string Namespace,
    string Prefix,
    string Hostname,
    string Service,
    int Port,
    string? Rewrite,
    bool AddLinkerdHeaders,
    bool RemoveLinkerdHeaders,
    bool BypassAuth,
    int? TimeoutMs,
    IReadOnlyList<string> AmbassadorId,
    string Comment,
    Origin Origin)
{
    public bool Grpc { get; init; }
    public int? Weight { get; init; }

    /// <summary>The port as written (a name or a number), when it was.</summary>
    public string? PortWritten { get; init; }
    public IReadOnlyList<KeyValue> Headers { get; init; } = [];
    public string? HostRewrite { get; init; }

    /// <summary>Other Mapping spec fields, as the user wrote them (merged into the spec).</summary>
    public System.Text.Json.Nodes.JsonObject? Extra { get; init; }
}

public sealed record ResolvedListener(string Name, string Namespace, int Port, string Protocol, IReadOnlyList<string> AmbassadorId);

public sealed record ResolvedHost(string Name, string Namespace, string Hostname, string AcmeAuthority, InsecureAction InsecureAction, string? TlsSecretName, string? TlsSecretNamespace, IReadOnlyList<string> AmbassadorId, Origin Origin);

public sealed record ResolvedTarget(string Group, string Version, string Kind, string Name, string Namespace)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}

/// <summary>One RFC 6902 operation; Value is JSON text (null for remove).</summary>
public sealed record PatchOperation(string Op, string Path, string? ValueJson);

/// <summary>The map entries a merge patch adds: to the object's labels and annotations, and to its pod template's annotations.</summary>
public sealed record MergeFields(IReadOnlyList<KeyValue> Labels, IReadOnlyList<KeyValue> Annotations, IReadOnlyList<KeyValue> PodAnnotations);

/// <summary>
/// A patch of an object the bundle does not own. Map entries go in a merge patch (<see cref="Merge"/>: it adds the maps
/// an object of any shape lacks); list items by index go in RFC 6902 <see cref="Operations"/>, guarded by test operations.
/// </summary>
/// <param name="Component">The Kustomize Component folder holding it: "patches" for the gateway's objects (added to
/// the gateway's kustomization), "existing" for the app's existing objects (added to the kustomization that deploys them).</param>
public sealed record ResolvedPatch(string Component, string File, string Purpose, ResolvedTarget Target, IReadOnlyList<PatchOperation> Operations, MergeFields? Merge = null)
{
    public const string Gateway = "patches";
    public const string Existing = "existing";

    public string Path => $"{Component}/{File}";

    public bool IsMerge => Merge is not null;
}

public sealed record ResolvedRemote(string Cluster, string Namespace, string Service, string Mirror, int Port, string Prefix, string Hostname, Origin Origin);

/// <summary>A linked (target) cluster of a source cluster, for the plan's `linkerd multicluster link` step.</summary>
public sealed record ResolvedLink(string Cluster, string? GatewayName, string? GatewayNamespace, bool GatewayLess, bool InRun);

/// <param name="UsesGateway">A target whose exports go through the gateway (any `export: true`, or no export yet):
/// the gateway is patched to be Linkerd's multicluster gateway. Gateway-less exports need none of it.</param>
public sealed record ResolvedMulticluster(
    bool UsesGateway,
    int GatewayPort,
    string ProbePath,
    int ProbePeriod,
    int ProbePort,
    IReadOnlyList<string> RequireIdentityOnInboundPorts,
    IReadOnlyList<ResolvedRemote> Remotes,
    IReadOnlyList<ResolvedLink> Links,
    Origin Origin);

/// <summary>A file of Mappings: one per namespace (the gateway's own in gateway/).</summary>
public sealed record ResolvedMappingFile(string Path, IReadOnlyList<ResolvedMapping> Mappings);

/// <summary>Which file of the bundle holds what.</summary>
/// <param name="Resources">The kustomization's resources, in apply order: Namespaces before what lives in them.</param>
/// <param name="GatewayBase">gateway.base relative to the bundle folder, when the bundle builds the gateway too.</param>
public sealed record ResolvedLayout(
    string? NamespacesFile,
    IReadOnlyList<ResolvedMappingFile> MappingFiles,
    string? ListenersFile,
    string? HostsFile,
    IReadOnlyList<string> Resources,
    string? GatewayBase)
{
    /// <summary>The namespaces' bases, relative to the bundle folder: the bundle builds them, patched by existing/.</summary>
    public IReadOnlyList<string> NamespaceBases { get; init; } = [];

    /// <summary>One file of policy per namespace that has policed ports: namespaces/&lt;ns&gt;/policy.yaml.</summary>
    public IReadOnlyList<string> PolicyFiles { get; init; } = [];
}

/// <summary>The kubectl and linkerd commands of APPLY.md, in order.</summary>
public sealed record ResolvedPlan(
    IReadOnlyList<string> InstallCommands,
    IReadOnlyList<string> LinkCommands,
    IReadOnlyList<string> PatchCommands,
    IReadOnlyList<string> ExportCommands,
    bool HasExports);

/// <summary>One identity allowed on a port, and why (a route of the gateway, a call, an allow entry, an export). An in-cluster
/// caller is named by reference (RefKind ServiceAccount or Namespace, RefName, RefNamespace); another cluster's by identity only.</summary>
public sealed record ResolvedCaller(string Identity, string Why)
{
    public string? RefKind { get; init; }
    public string? RefName { get; init; }
    public string? RefNamespace { get; init; }
    public bool IsRef => RefKind is not null;
}

/// <summary>A probe of a service's pods: its kind (httpGet, tcpSocket, grpc, exec) and the container port it checks, when known.</summary>
public sealed record PodProbe(string Kind, int? Port)
{
    /// <summary>Where the mesh file writes it (a probe of a base's pods has no place there).</summary>
    public Origin? Origin { get; init; }
}

/// <summary>A Service's port, by the Service's name and the port's number.</summary>
public sealed record ServicePortRef(string Service, int Port);

/// <summary>
/// The authorization of one port a service serves: a Server selecting its pods on the port, and (when anyone may call it)
/// a MeshTLSAuthentication of exactly the allowed identities bound to it by an AuthorizationPolicy (2.11: a ServerAuthorization).
/// </summary>
/// <param name="Name">The name of all three objects: &lt;service&gt;-&lt;port&gt;.</param>
/// <param name="Port">The Service port's name (the container port's, for a workload the bundle renders).</param>
/// <param name="ProxyProtocol">Server proxyProtocol from the port's appProtocol, or null (detected).</param>
public sealed record ResolvedPortPolicy(string Name, string Namespace, string Service, string Port, int ServicePort, IReadOnlyList<KeyValue> Selector,
    string? ProxyProtocol, string ServerApiVersion, bool UsesServerAuthorization, IReadOnlyList<ResolvedCaller> Callers, Origin Origin)
{
    /// <summary>2.11's Server of the proxy's admin port, admitting unauthenticated clients: the kubelet's probes pass there.</summary>
    public bool Unauthenticated { get; init; }

    /// <summary>Other Services' ports whose pods and pod port are this one's: one Server serves them all.</summary>
    public IReadOnlyList<ServicePortRef> AlsoServes { get; init; } = [];

    /// <summary>The pods' port the Server selects (spec.port): by name (<see cref="Port"/> unless set), or by number (an
    /// existing Service's numeric targetPort).</summary>
    public object PodPort { get => _podPort ?? Port; init => _podPort = value; }
    private readonly object? _podPort;

    public IReadOnlyList<string> Identities => Callers.Select(c => c.Identity).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>In-cluster callers, by ServiceAccount or Namespace reference (one MeshTLSAuthentication).</summary>
    public IReadOnlyList<ResolvedCaller> LocalCallers => Merge(Callers.Where(c => c.IsRef), c => $"{c.RefKind}/{c.RefNamespace}/{c.RefName}");

    /// <summary>Callers of other clusters, by identity (a second MeshTLSAuthentication, &lt;name&gt;-remote).</summary>
    public IReadOnlyList<ResolvedCaller> RemoteCallers => Merge(Callers.Where(c => !c.IsRef), c => c.Identity);

    // One entry per caller, its reasons joined: the gateway may be both a route's caller and an export's.
    private static List<ResolvedCaller> Merge(IEnumerable<ResolvedCaller> callers, Func<ResolvedCaller, string> key) =>
        callers.GroupBy(key, StringComparer.Ordinal)
            .Select(g => g.First() with { Why = string.Join("; ", g.Select(c => c.Why).Distinct()) })
            .ToList();
}

/// <summary>A call one workload declares: to a service of this cluster (Cluster null) or of a linked one.</summary>
public sealed record ResolvedCall(string FromNamespace, string FromWorkload, string FromServiceAccount, string? Cluster, string Namespace, string Service, Origin Origin)
{
    /// <summary>Whether the target was found (this cluster's services, or the named cluster's exports when it is in the run).</summary>
    public bool Found { get; init; }

    /// <summary>Whether its cluster is this one or one rendered in the same run (so it could be checked).</summary>
    public bool ClusterInRun { get; init; }
}

/// <summary>A node of the mesh picture: Id is safe for Mermaid; Group the namespace it stands in (null: outside).</summary>
public sealed record PictureNode(string Id, string Label, string? Group, bool Round);

/// <summary>A namespace of the mesh picture and the nodes drawn inside it.</summary>
public sealed record PictureGroup(string Name, IReadOnlyList<PictureNode> Nodes);

public sealed record PictureEdge(string From, string To, string Label, bool Dashed);

/// <summary>One row of "who may call it": a port a service serves and its callers.</summary>
public sealed record AccessRow(string Namespace, string Service, int Port, string PortName, string Callers);

/// <summary>What MESH.md draws: hosts → gateway → routes → services → calls, exports and remotes; and who may call each port.</summary>
public sealed record ResolvedPicture(IReadOnlyList<PictureNode> Nodes, IReadOnlyList<PictureEdge> Edges, IReadOnlyList<string> Groups, IReadOnlyList<AccessRow> Access)
{
    /// <summary>The nodes outside every namespace (hosts, the gateway, other clusters).</summary>
    public IReadOnlyList<PictureNode> Outside => Nodes.Where(n => n.Group is null).ToList();

    /// <summary>Each namespace with its nodes, grouped once here: a template loop over groups × nodes is quadratic at fleet scale.</summary>
    public IReadOnlyList<PictureGroup> Subgraphs
    {
        get
        {
            var byGroup = Nodes.Where(n => n.Group is not null).ToLookup(n => n.Group!, StringComparer.Ordinal);
            return Groups.Select(g => new PictureGroup(g, byGroup[g].ToList())).ToList();
        }
    }

    /// <summary>The access table as Markdown (MESH.md and `explain` print the same).</summary>
    public string AccessTable
    {
        get
        {
            var text = new StringBuilder("| service | port | who may call it |\n|---|---|---|\n");
            foreach (var row in Access)
            {
                text.Append($"| {row.Namespace}/{row.Service} | {row.Port.ToString(CultureInfo.InvariantCulture)} ({row.PortName}) | {row.Callers} |\n");
            }
            return text.ToString();
        }
    }
}
