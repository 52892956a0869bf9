using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Linkerd2Gen.Model;

// The input contract (DESIGN.md §3), as written by the user: nothing is defaulted here — that is the
// resolver's job. Instances are only built from documents that passed the schema.

public sealed class MeshInput
{
    public const string ApiVersionValue = "linkerd2gen.io/v1alpha1";
    public const string KindValue = "Mesh";

    public string ApiVersion { get; init; } = "";
    public string Kind { get; init; } = "";
    public MetadataInput Metadata { get; init; } = new();
    public LinkerdInput? Linkerd { get; init; }
    public GatewayInput? Gateway { get; init; }
    public PolicyInput? Policy { get; init; }
    public List<NamespaceInput>? Namespaces { get; init; }
    public MulticlusterInput? Multicluster { get; init; }

    /// <summary>Sets up the reading of a mesh ahead of the first (see <see cref="JsonMetadata"/>).</summary>
    public static void Prepare() => JsonMetadata.Prepare(MeshInputJson.Default, typeof(MeshInput));

    public static MeshInput FromJson(JsonNode json) =>
        json.Deserialize(MeshInputJson.Default.MeshInput) ?? throw new InvalidOperationException("empty document");

    public static MeshInput FromJson(JsonElement json) =>
        json.Deserialize(MeshInputJson.Default.MeshInput) ?? throw new InvalidOperationException("empty document");
}

/// <summary>The mesh file's JSON read into <see cref="MeshInput"/> by generated code (NativeAOT has no reflection-based
/// serializer): camelCase names, and a field the model lacks is an error, never dropped.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(MeshInput))]
internal sealed partial class MeshInputJson : JsonSerializerContext;

public sealed class MetadataInput
{
    public string Name { get; init; } = "";
}

public sealed class LinkerdInput
{
    public string? Version { get; init; }
    public string? ControlPlaneNamespace { get; init; }
    public string? TrustDomain { get; init; }
}

public sealed class GatewayInput
{
    public string? Flavor { get; init; }
    public string? Name { get; init; }
    public string? Namespace { get; init; }
    public string? ServiceAccount { get; init; }
    public int? AdminPort { get; init; }
    public List<GatewayPortInput>? Ports { get; init; }
    public List<JsonNode>? SkipInboundPorts { get; init; }
    public string? InjectMode { get; init; }
    public string? LinkerdHeaders { get; init; }
    public bool? Listeners { get; init; }
    public List<string>? AmbassadorId { get; init; }
    public string? Base { get; init; }
    public JsonObject? Proxy { get; init; }
    public List<HostInput>? Hosts { get; init; }
}

public sealed class GatewayPortInput
{
    public string? Name { get; init; }
    public int Port { get; init; }
    public int? TargetPort { get; init; }
    public string? Protocol { get; init; }
}

public sealed class HostInput
{
    public string? Name { get; init; }
    public string Hostname { get; init; } = "";
    public string? Acme { get; init; }
    public string? Insecure { get; init; }
    public SecretRefInput? TlsSecret { get; init; }
}

public sealed class SecretRefInput
{
    public string Name { get; init; } = "";
    public string? Namespace { get; init; }
}

public sealed class NamespaceInput
{
    public string Name { get; init; } = "";
    public string? Inject { get; init; }
    public bool? Create { get; init; }
    public bool? Prune { get; init; }
    public string? Base { get; init; }
    public PolicyInput? Policy { get; init; }
    public JsonObject? Proxy { get; init; }
    public List<ServiceInput>? Services { get; init; }
}

public sealed class ServiceInput
{
    public string Name { get; init; } = "";
    public bool? Existing { get; init; }
    public string? Workload { get; init; }
    public string? Kind { get; init; }
    public string? Container { get; init; }
    public Dictionary<string, string>? Selector { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
    public Dictionary<string, string>? Annotations { get; init; }
    public Dictionary<string, string>? PodLabels { get; init; }
    public Dictionary<string, string>? PodAnnotations { get; init; }
    public ServiceSettingsInput? Service { get; init; }
    public List<EnvFromInput>? EnvFrom { get; init; }
    public ProbeInput? Startup { get; init; }
    public JsonObject? Patch { get; init; }
    public List<JsonNode>? Calls { get; init; }
    public List<AllowInput>? Allow { get; init; }
    public string? Image { get; init; }
    public int? Replicas { get; init; }
    public JsonNode? ServiceAccount { get; init; }
    public List<string>? Command { get; init; }
    public List<string>? Args { get; init; }
    public List<ServicePortInput>? Ports { get; init; }
    public JsonObject? Env { get; init; }
    public ProbeInput? Readiness { get; init; }
    public ProbeInput? Liveness { get; init; }
    public ResourcesInput? Resources { get; init; }
    public JsonObject? Proxy { get; init; }
    public List<RouteInput>? Routes { get; init; }
    public JsonNode? Export { get; init; }
}

public sealed class PolicyInput
{
    public string? Mode { get; init; }
    public string? DefaultInbound { get; init; }
}

public sealed class AllowInput
{
    public string? ServiceAccount { get; init; }
    public string Namespace { get; init; } = "";
    public List<JsonNode>? Ports { get; init; }
}

public sealed class ServiceSettingsInput
{
    public string? Type { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
    public Dictionary<string, string>? Annotations { get; init; }
}

public sealed class EnvFromInput
{
    public string? ConfigMap { get; init; }
    public string? Secret { get; init; }
}

public sealed class ServicePortInput
{
    public string? Name { get; init; }
    public int? ContainerPort { get; init; }
    public int? ServicePort { get; init; }
    public string? Protocol { get; init; }
    public string? AppProtocol { get; init; }
}

public sealed class ProbeInput
{
    public string? Path { get; init; }
    public JsonNode? Port { get; init; }
    public JsonNode? Tcp { get; init; }
    public int? Grpc { get; init; }
    public List<string>? Exec { get; init; }
    public int? InitialDelaySeconds { get; init; }
    public int? PeriodSeconds { get; init; }
    public int? TimeoutSeconds { get; init; }
    public int? FailureThreshold { get; init; }
}

public sealed class ResourcesInput
{
    public ResourceListInput? Limits { get; init; }
    public ResourceListInput? Requests { get; init; }
}

public sealed class ResourceListInput
{
    public JsonNode? Cpu { get; init; }
    public JsonNode? Memory { get; init; }
}

public sealed class RouteInput
{
    public string? Name { get; init; }
    public string Prefix { get; init; } = "";
    public string? Hostname { get; init; }
    public string? Rewrite { get; init; }
    public JsonNode? Port { get; init; }
    public int? TimeoutMs { get; init; }
    public bool? Grpc { get; init; }
    public int? Weight { get; init; }
    public Dictionary<string, string>? Headers { get; init; }
    public string? HostRewrite { get; init; }
    public JsonObject? Mapping { get; init; }
}

public sealed class MulticlusterInput
{
    public string? Role { get; init; }
    public int? GatewayPort { get; init; }
    public ProbeSettingsInput? Probe { get; init; }
    public List<JsonNode>? RequireIdentityOnInboundPorts { get; init; }
    public List<RemoteInput>? Remotes { get; init; }
}

public sealed class ProbeSettingsInput
{
    public string? Path { get; init; }
    public int? Period { get; init; }
    public int? Port { get; init; }
}

public sealed class RemoteInput
{
    public string Cluster { get; init; } = "";
    public string Namespace { get; init; } = "";
    public string Service { get; init; } = "";
    public int? Port { get; init; }
    public string Prefix { get; init; } = "";
    public string? Hostname { get; init; }
    public string? Rewrite { get; init; }
}
