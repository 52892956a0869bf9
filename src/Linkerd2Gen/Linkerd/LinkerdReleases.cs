namespace Linkerd2Gen.Linkerd;

/// <summary>How a cluster marks a service for its linked clusters to mirror.</summary>
public enum ExportStyle
{
    /// <summary>2.8: annotations naming the exporting cluster's gateway.</summary>
    GatewayAnnotations,

    /// <summary>2.9+: the label mirror.linkerd.io/exported (the Link's default selector).</summary>
    ExportedLabel,
}

/// <summary>
/// What one Linkerd stable release means for the bundle and for `inject`. Sources: facts/linkerd.md,
/// facts/linkerd-2.19-2.20.md, facts/linkerd-policy-multicluster.md (each field's comment names the change).
/// </summary>
/// <param name="KubernetesMinimum">minAPIVersion of pkg/k8s/api.go, what `linkerd check` enforces (null: not recorded).</param>
/// <param name="LinkVerb">The `linkerd multicluster` command that writes a Link: `link`, deprecated for `link-gen` in 2.18.</param>
/// <param name="ControllersAtInstall">2.18+: one service-mirror controller per link, declared at `multicluster install`.</param>
/// <param name="ServerApiVersion">policy.linkerd.io Server: v1beta1 2.12–2.14 (2.11 had only v1beta1 with ServerAuthorization),
/// v1beta2 2.15, v1beta3 2.16+; null before 2.11.</param>
/// <param name="NativeSidecarKey">The annotation proxy.nativeSidecar / --native-sidecar writes: alpha 2.15–2.18, beta 2.19
/// (#14587), config.linkerd.io 2.20 (#15267); null before 2.15.</param>
/// <param name="NativeSidecarDefault">The chart's proxy.nativeSidecar: true from 2.20 (GA).</param>
/// <param name="InitImage">config.linkerd.io/init-image[-version] and --init-image[-version] exist (removed in 2.20, #14577:
/// linkerd-init runs the proxy image).</param>
/// <param name="AdditionalEnv">config.linkerd.io/proxy-additional-env (2.20, #15156).</param>
public sealed record LinkerdRelease(
    LinkerdVersion Version,
    string? KubernetesMinimum,
    ExportStyle ExportStyle,
    bool IngressMode,
    bool RemoteDiscovery,
    bool Federated,
    string LinkVerb,
    bool ControllersAtInstall,
    string? ServerApiVersion,
    string? NativeSidecarKey,
    bool NativeSidecarDefault,
    bool InitImage,
    bool AdditionalEnv);

/// <summary>The table of supported Linkerd releases: every version-dependent choice is read here.</summary>
public static class LinkerdReleases
{
    private const string Alpha = "config.alpha.linkerd.io/proxy-enable-native-sidecar";
    private const string Beta = "config.beta.linkerd.io/proxy-enable-native-sidecar";
    private const string Ga = "config.linkerd.io/proxy-enable-native-sidecar";
    private const ExportStyle Ann = ExportStyle.GatewayAnnotations, Lbl = ExportStyle.ExportedLabel;

    public static readonly IReadOnlyList<LinkerdRelease> All =
    [
        //  version  k8s min  export ingress remote-d federated link verb  ctrl@inst Server apiVersion  native-sidecar key  default init-image add-env
        new(new(8),  null,   Ann, false, false, false, "link",     false, null,       null,  false, true,  false),
        new(new(9),  null,   Lbl, true,  false, false, "link",     false, null,       null,  false, true,  false),
        new(new(10), null,   Lbl, true,  false, false, "link",     false, null,       null,  false, true,  false),
        new(new(11), null,   Lbl, true,  false, false, "link",     false, "v1beta1",  null,  false, true,  false),
        new(new(12), null,   Lbl, true,  false, false, "link",     false, "v1beta1",  null,  false, true,  false),
        new(new(13), null,   Lbl, true,  false, false, "link",     false, "v1beta1",  null,  false, true,  false),
        new(new(14), null,   Lbl, true,  true,  false, "link",     false, "v1beta1",  null,  false, true,  false),
        new(new(15), null,   Lbl, true,  true,  false, "link",     false, "v1beta2",  Alpha, false, true,  false),
        new(new(16), null,   Lbl, true,  true,  false, "link",     false, "v1beta3",  Alpha, false, true,  false),
        new(new(17), null,   Lbl, true,  true,  true,  "link",     false, "v1beta3",  Alpha, false, true,  false),
        new(new(18), "1.23", Lbl, true,  true,  true,  "link-gen", true,  "v1beta3",  Alpha, false, true,  false),
        new(new(19), "1.23", Lbl, true,  true,  true,  "link-gen", true,  "v1beta3",  Beta,  false, true,  false),
        new(new(20), "1.31", Lbl, true,  true,  true,  "link-gen", true,  "v1beta3",  Ga,    true,  false, true),
    ];

    public static LinkerdVersion Oldest => All[0].Version;
    public static LinkerdVersion Latest => All[^1].Version;

    /// <summary>"2.8 … 2.20", for messages.</summary>
    public static string Range => $"{Oldest} … {Latest}";

    public static LinkerdRelease Of(LinkerdVersion version) =>
        All.FirstOrDefault(r => r.Version == version) ?? throw new ArgumentOutOfRangeException(nameof(version), version, $"Linkerd {version} is not supported ({Range})");

    /// <summary>The release a version text names ("2.20"), or null when it is not one of the table's.</summary>
    public static LinkerdRelease? Find(string text) => All.FirstOrDefault(r => r.Version.ToString() == text);
}
