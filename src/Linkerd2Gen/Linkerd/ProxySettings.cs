using System.Globalization;
using System.Text.Json.Nodes;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Linkerd;

public enum ProxyValueKind { PortList, PortOrNameList, StringList, Port, Integer, Quantity, Duration, Text, Enum, Bool, EnabledDisabled, EnvList }

/// <summary>One per-workload proxy setting: the input field, its pod annotation, the versions that read it
/// (<paramref name="Since"/> to <paramref name="Until"/>, inclusive) and linkerd inject's flag for it (null: none).</summary>
public sealed record ProxySetting(string Field, string Annotation, ProxyValueKind Kind, LinkerdVersion Since, string? Flag, LinkerdVersion? Until = null)
{
    /// <summary>Whether <paramref name="version"/> reads this setting.</summary>
    public bool ExistsIn(LinkerdVersion version) => version >= Since && (Until is not { } last || version <= last);

    /// <summary>The versions that read it, for messages: "2.15 or later", "up to 2.19".</summary>
    public string Versions => Until is { } last ? $"Linkerd {Since} … {last}" : $"Linkerd {Since} or later";

    /// <summary>The annotation <paramref name="version"/> reads: only native sidecars moved (alpha → beta → GA).</summary>
    public string AnnotationFor(LinkerdVersion version) =>
        Field == "nativeSidecar" && ExistsIn(version) ? LinkerdReleases.Of(version).NativeSidecarKey! : Annotation;

    /// <summary>The annotation value exactly as `linkerd inject` writes it.</summary>
    public string Format(JsonNode value) => Kind switch
    {
        ProxyValueKind.PortList or ProxyValueKind.PortOrNameList or ProxyValueKind.StringList =>
            string.Join(",", value.AsArray().Select(v => JsonScalar.Text(v!))),
        ProxyValueKind.Bool => value.GetValue<bool>() ? "true" : "false",
        ProxyValueKind.EnabledDisabled => value.GetValue<bool>() ? "enabled" : "disabled",
        // A JSON list of Kubernetes EnvVar objects, by name (pkg/inject MergeAdditionalEnv merges by name).
        ProxyValueKind.EnvList => new JsonArray(value.AsObject().OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => (JsonNode)new JsonObject { ["name"] = e.Key, ["value"] = JsonScalar.Text(e.Value!) }).ToArray()).ToJsonString(),
        _ => JsonScalar.Text(value),
    };
}

/// <summary>
/// The catalogue of Linkerd proxy settings (facts/linkerd.md §2): the single place that knows which
/// config.linkerd.io annotation a setting becomes, for rendered workloads and for `inject` flags alike.
/// </summary>
public static class ProxySettings
{
    private const string C = "config.linkerd.io/";
    private const string A = "config.alpha.linkerd.io/";
    private static readonly LinkerdVersion Any = new(8);

    public static readonly IReadOnlyList<ProxySetting> All =
    [
        new("skipInboundPorts", C + "skip-inbound-ports", ProxyValueKind.PortList, Any, "skip-inbound-ports"),
        new("skipOutboundPorts", C + "skip-outbound-ports", ProxyValueKind.PortList, Any, "skip-outbound-ports"),
        new("requireIdentityOnInboundPorts", C + "proxy-require-identity-inbound-ports", ProxyValueKind.PortList, Any, "require-identity-on-inbound-ports"),
        new("opaquePorts", C + "opaque-ports", ProxyValueKind.PortOrNameList, new(10), "opaque-ports"),
        new("podInboundPorts", C + "pod-inbound-ports", ProxyValueKind.PortList, new(11), "pod-inbound-ports"),
        new("skipSubnets", C + "skip-subnets", ProxyValueKind.StringList, new(12), "skip-subnets"),
        new("adminPort", C + "admin-port", ProxyValueKind.Port, Any, "admin-port"),
        new("controlPort", C + "control-port", ProxyValueKind.Port, Any, "control-port"),
        new("inboundPort", C + "inbound-port", ProxyValueKind.Port, Any, "inbound-port"),
        new("outboundPort", C + "outbound-port", ProxyValueKind.Port, Any, "outbound-port"),
        new("cpuRequest", C + "proxy-cpu-request", ProxyValueKind.Quantity, Any, "proxy-cpu-request"),
        new("cpuLimit", C + "proxy-cpu-limit", ProxyValueKind.Quantity, Any, "proxy-cpu-limit"),
        new("memoryRequest", C + "proxy-memory-request", ProxyValueKind.Quantity, Any, "proxy-memory-request"),
        new("memoryLimit", C + "proxy-memory-limit", ProxyValueKind.Quantity, Any, "proxy-memory-limit"),
        new("ephemeralStorageRequest", C + "proxy-ephemeral-storage-request", ProxyValueKind.Quantity, new(12), "proxy-ephemeral-storage-request"),
        new("ephemeralStorageLimit", C + "proxy-ephemeral-storage-limit", ProxyValueKind.Quantity, new(12), "proxy-ephemeral-storage-limit"),
        new("uid", C + "proxy-uid", ProxyValueKind.Integer, Any, "proxy-uid"),
        new("gid", C + "proxy-gid", ProxyValueKind.Integer, new(16), "proxy-gid"),
        new("logLevel", C + "proxy-log-level", ProxyValueKind.Text, Any, "proxy-log-level"),
        new("logFormat", C + "proxy-log-format", ProxyValueKind.Enum, new(9), "proxy-log-format"),
        new("imagePullPolicy", C + "image-pull-policy", ProxyValueKind.Enum, Any, "image-pull-policy"),
        new("image", C + "proxy-image", ProxyValueKind.Text, Any, "proxy-image"),
        new("version", C + "proxy-version", ProxyValueKind.Text, Any, "proxy-version"),
        new("initImage", C + "init-image", ProxyValueKind.Text, Any, "init-image", new(19)),
        new("initImageVersion", C + "init-image-version", ProxyValueKind.Text, Any, "init-image-version", new(19)),
        new("debugImage", C + "debug-image", ProxyValueKind.Text, Any, "debug-image"),
        new("enableExternalProfiles", C + "enable-external-profiles", ProxyValueKind.Bool, Any, "enable-external-profiles"),
        new("enableDebugSidecar", C + "enable-debug-sidecar", ProxyValueKind.Bool, Any, "enable-debug-sidecar"),
        new("defaultInboundPolicy", C + "default-inbound-policy", ProxyValueKind.Enum, new(11), "default-inbound-policy"),
        new("await", C + "proxy-await", ProxyValueKind.EnabledDisabled, new(11), "proxy-await"),
        new("inboundConnectTimeout", C + "proxy-inbound-connect-timeout", ProxyValueKind.Duration, new(9), "proxy-inbound-connect-timeout"),
        new("outboundConnectTimeout", C + "proxy-outbound-connect-timeout", ProxyValueKind.Duration, new(9), "proxy-outbound-connect-timeout"),
        new("shutdownGracePeriod", C + "shutdown-grace-period", ProxyValueKind.Duration, new(12), "shutdown-grace-period"),
        new("closeWaitTimeout", C + "close-wait-timeout", ProxyValueKind.Duration, Any, "close-wait-timeout"),
        new("accessLog", C + "access-log", ProxyValueKind.Enum, new(12), "access-log"),
        new("waitBeforeExitSeconds", A + "proxy-wait-before-exit-seconds", ProxyValueKind.Integer, Any, "wait-before-exit-seconds"),
        new("nativeSidecar", A + "proxy-enable-native-sidecar", ProxyValueKind.Bool, new(15), "native-sidecar"),
        new("additionalEnv", C + "proxy-additional-env", ProxyValueKind.EnvList, new(20), null),
    ];

    private static readonly Dictionary<string, ProxySetting> ByField = All.ToDictionary(s => s.Field, StringComparer.Ordinal);

    public static ProxySetting ForField(string field) => ByField[field];

    public static ProxySetting SkipInboundPorts => ByField["skipInboundPorts"];
    public static ProxySetting RequireIdentityOnInboundPorts => ByField["requireIdentityOnInboundPorts"];

    public const string InjectAnnotation = "linkerd.io/inject";

    /// <summary>Whether a linkerd.io/inject value gives the pods a proxy (ingress mode is a proxy too).</summary>
    public static bool Injects(string? value) => value is "enabled" or "ingress";

    public static string DefaultInboundPolicyAnnotation => ByField["defaultInboundPolicy"].Annotation;

    /// <summary>Whether a default inbound policy admits a client on a port no Server guards. The cluster-* policies admit
    /// the clusterNetworks (by default every private range), so they are read as their all-* twins; audit admits.</summary>
    public static bool DefaultInboundAdmits(string policy, bool authenticated) => policy switch
    {
        "all-unauthenticated" or "cluster-unauthenticated" or "audit" => true,
        "all-authenticated" or "cluster-authenticated" => authenticated,
        _ => false,
    };
    public const string EnableGatewayAnnotation = C + "enable-gateway";

    /// <summary>Formats a port list the way linkerd joins its StringSlice flags.</summary>
    public static string PortList(IEnumerable<string> ports) => string.Join(",", ports);

    public static string PortList(IEnumerable<int> ports) => PortList(ports.Select(p => p.ToString(CultureInfo.InvariantCulture)));
}
