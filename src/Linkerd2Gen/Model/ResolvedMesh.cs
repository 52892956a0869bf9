using Linkerd2Gen.Kubernetes;
using Linkerd2Gen.Linkerd;

namespace Linkerd2Gen.Model;

// The fully defaulted, immutable model the templates render. Every derived value is computed once,
// in the resolver; templates only lay values out.

public enum MulticlusterRole { None, Source, Target, Both }

public sealed record ResolvedMesh(
    string Cluster,
    string SourceFile,
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
    ResolvedMulticluster? Multicluster)
{
    public bool IsSource => Role is MulticlusterRole.Source or MulticlusterRole.Both;
    public bool IsTarget => Role is MulticlusterRole.Target or MulticlusterRole.Both;
}

public sealed record ResolvedLinkerd(LinkerdVersion Version, string ControlPlaneNamespace, string TrustDomain)
{
    public string VersionText => Version.ToString();

    /// <summary>The mTLS identity of a workload: &lt;sa&gt;.&lt;ns&gt;.serviceaccount.identity.&lt;cp-ns&gt;.&lt;trust-domain&gt;.</summary>
    public string IdentityOf(string serviceAccount, string @namespace) =>
        $"{serviceAccount}.{@namespace}.serviceaccount.identity.{ControlPlaneNamespace}.{TrustDomain}";
}

public sealed record ResolvedGatewayPort(string Name, int Port, int TargetPort, string Protocol);

public sealed record ResolvedGateway(
    string Flavor,
    string Name,
    string Namespace,
    string ServiceAccount,
    int AdminPort,
    IReadOnlyList<ResolvedGatewayPort> Ports,
    string InjectMode,
    string LinkerdHeaders,
    IReadOnlyList<string> AmbassadorId,
    string Identity,
    IReadOnlyList<KeyValue> PodAnnotations,
    string? Base);

public sealed record ResolvedNamespace(string Name, bool Create, IReadOnlyList<KeyValue> Annotations);

public sealed record ResolvedPort(string Name, int ContainerPort, int ServicePort, string Protocol);

/// <summary>An environment variable: a literal value, or a reference (FieldPath, or Name+Key of a Secret/ConfigMap).</summary>
public sealed record ResolvedEnv(string Name, string? Value, string? FieldPath, string? SecretName, string? ConfigMapName, string? Key);

public sealed record ResolvedProbe(string Path, string? PortName, int? PortNumber, int? InitialDelaySeconds, int? PeriodSeconds, int? TimeoutSeconds, int? FailureThreshold);

public sealed record ResolvedWorkload(
    string Name,
    string Namespace,
    string Service,
    string Image,
    int Replicas,
    string? ServiceAccount,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Args,
    IReadOnlyList<ResolvedPort> Ports,
    IReadOnlyList<ResolvedEnv> Env,
    ResolvedProbe? Readiness,
    ResolvedProbe? Liveness,
    IReadOnlyList<KeyValue> Limits,
    IReadOnlyList<KeyValue> Requests,
    IReadOnlyList<KeyValue> PodAnnotations)
{
    public bool HasResources => Limits.Count > 0 || Requests.Count > 0;
}

/// <summary>A Service the bundle owns (Existing = false) or patches (export of an existing one).</summary>
public sealed record ResolvedService(
    string Name,
    string Namespace,
    string Workload,
    bool Existing,
    IReadOnlyList<ResolvedPort> Ports,
    IReadOnlyList<KeyValue> Labels,
    IReadOnlyList<KeyValue> Annotations,
    string? Export);

public sealed record ResolvedMapping(
    string Name,
    string Namespace,
    string Prefix,
    string Hostname,
    string Service,
    string? Rewrite,
    bool AddLinkerdHeaders,
    bool RemoveLinkerdHeaders,
    bool BypassAuth,
    int? TimeoutMs,
    IReadOnlyList<string> AmbassadorId,
    string Comment);

public sealed record ResolvedListener(string Name, string Namespace, int Port, string Protocol, IReadOnlyList<string> AmbassadorId);

public sealed record ResolvedHost(string Name, string Namespace, string Hostname, string AcmeAuthority, string InsecureAction, string? TlsSecretName, string? TlsSecretNamespace, IReadOnlyList<string> AmbassadorId);

public sealed record ResolvedTarget(string Group, string Version, string Kind, string Name, string Namespace)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}

/// <summary>One RFC 6902 operation; Value is JSON text (null for remove).</summary>
public sealed record PatchOperation(string Op, string Path, string? ValueJson);

/// <param name="Component">The Kustomize Component folder holding it: "patches" for the gateway's objects (added to
/// the gateway's kustomization), "exports" for existing services (added to the kustomization that deploys them).</param>
public sealed record ResolvedPatch(string Component, string File, string Purpose, ResolvedTarget Target, IReadOnlyList<PatchOperation> Operations)
{
    public const string Gateway = "patches";
    public const string Exports = "exports";

    public string Path => $"{Component}/{File}";
}

public sealed record ResolvedRemote(string Cluster, string Namespace, string Service, string Mirror, int Port, string Prefix);

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
    IReadOnlyList<ResolvedLink> Links);
