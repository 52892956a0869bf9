using System.Globalization;
using System.Text.RegularExpressions;
using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Kubernetes;
using Linkerd2Gen.Linkerd;

namespace Linkerd2Gen.Inject;

/// <summary>
/// linkerd inject's proxy flags → override annotations (cli/cmd/options.go, getOverrideAnnotations), as the CLI of one
/// Linkerd version writes them with --ignore-cluster: each value is validated, a flag the version lacks is refused, and
/// a value equal to that version's chart default adds no annotation.
/// </summary>
public static partial class InjectFlags
{
    /// <summary>The versions whose inject the tool reproduces (facts: the annotation-mode goldens are identical in all three).</summary>
    public static readonly IReadOnlyList<LinkerdVersion> Versions = [new(18), new(19), new(20)];

    /// <summary>Chart defaults (2.18 … 2.20), by setting: a flag set to one of these is not an override.</summary>
    private static readonly Dictionary<string, string> ChartDefaults = new()
    {
        ["adminPort"] = "4191", ["controlPort"] = "4190", ["inboundPort"] = "4143", ["outboundPort"] = "4140",
        ["skipInboundPorts"] = "4567,4568", ["skipOutboundPorts"] = "4567,4568",
        ["uid"] = "2102", ["logLevel"] = "warn,linkerd=info", ["imagePullPolicy"] = "IfNotPresent",
        ["defaultInboundPolicy"] = "all-unauthenticated", ["image"] = "cr.l5d.io/linkerd/proxy",
        ["enableExternalProfiles"] = "false", ["waitBeforeExitSeconds"] = "0",
        ["initImage"] = "cr.l5d.io/linkerd/proxy-init", ["debugImage"] = "cr.l5d.io/linkerd/debug",
    };

    private static string? ChartDefault(string field, LinkerdRelease release) =>
        field == "nativeSidecar" ? (release.NativeSidecarDefault ? "true" : "false") : ChartDefaults.GetValueOrDefault(field);

    /// <summary>--registry (or LINKERD_DOCKER_REGISTRY): the proxy, proxy-init (while it has its own image, up to 2.19) and debug
    /// images from another registry.</summary>
    public static void ApplyRegistry(Dictionary<string, string> values, string? registry, LinkerdVersion version)
    {
        if (string.IsNullOrEmpty(registry)) return;
        registry = registry.TrimEnd('/');
        values.TryAdd("image", registry + "/proxy");
        if (LinkerdReleases.Of(version).InitImage) values.TryAdd("initImage", registry + "/proxy-init");
        values.TryAdd("debugImage", registry + "/debug");
    }

    /// <summary>Validates the flag values (by setting field) and returns the override annotations, or the first error.</summary>
    public static (Dictionary<string, string>? Overrides, Diagnostic? Error) Overrides(IReadOnlyDictionary<string, string> values, LinkerdVersion version)
    {
        var release = LinkerdReleases.Of(version);
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, raw) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var setting = ProxySettings.ForField(field);
            if (!setting.ExistsIn(version)) return (null, DiagnosticCatalog.InjectFlagUnknown(setting.Flag!, version.ToString(), setting.Versions));
            var (value, error) = Normalise(setting, raw);
            if (error is not null) return (null, DiagnosticCatalog.InjectFlagInvalid(setting.Flag!, error));
            if (ChartDefault(field, release) == value) continue;
            overrides[setting.AnnotationFor(version)] = value!;
        }
        return (overrides, null);
    }

    private static (string? Value, string? Error) Normalise(ProxySetting setting, string raw) => setting.Kind switch
    {
        ProxyValueKind.PortList => PortList(raw, names: false),
        ProxyValueKind.PortOrNameList => PortList(raw, names: true),
        ProxyValueKind.Port => int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535
            ? (p.ToString(CultureInfo.InvariantCulture), null) : (null, $"'{raw}' is not a port (0-65535)"),
        ProxyValueKind.Integer => long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            ? (i.ToString(CultureInfo.InvariantCulture), null) : (null, $"'{raw}' is not a non-negative integer"),
        ProxyValueKind.Quantity => Quantity.IsValid(raw) ? (raw, null) : (null, $"'{raw}' is not a Kubernetes quantity (e.g. 100m, 0.5, 64Mi)"),
        ProxyValueKind.Duration => GoDuration.Parse(raw) is { } d ? (GoDuration.Format(d), null) : (null, $"'{raw}' is not a duration (e.g. 90s, 1m30s)"),
        ProxyValueKind.Bool => bool.TryParse(raw, out var b) ? (b ? "true" : "false", null) : (null, $"'{raw}' is not true or false"),
        ProxyValueKind.Enum => EnumValue(setting, raw),
        _ => raw.Length > 0 ? (raw, null) : (null, "must not be empty"),
    };

    private static (string?, string?) EnumValue(ProxySetting setting, string raw)
    {
        string[] allowed = setting.Field switch
        {
            "imagePullPolicy" => ["Always", "IfNotPresent", "Never"],
            "defaultInboundPolicy" => ["all-unauthenticated", "all-authenticated", "cluster-unauthenticated", "cluster-authenticated", "deny", "audit"],
            "logFormat" => ["plain", "json"],
            _ => ["apache", "json"],
        };
        return allowed.Contains(raw) ? (raw, null) : (null, $"'{raw}' is not one of {string.Join(", ", allowed)}");
    }

    /// <summary>pflag StringSlice semantics: comma-separated, joined with ','; each a port, a range lo-hi or (opaque ports) a port name.</summary>
    private static (string?, string?) PortList(string raw, bool names)
    {
        var items = raw.Split(',').Select(s => s.Trim()).ToList();
        foreach (var item in items)
        {
            if (PortRange.Parse(item) is { } range)
            {
                if (!range.IsWithin(0, 65535)) return (null, $"'{item}' is not a port or a range lo-hi within 0-65535");
                continue;
            }
            if (names && KubernetesNames.IsPortName(item)) continue;
            return (null, $"'{item}' is not a port{(names ? ", a port name" : "")} or a range lo-hi");
        }
        return (string.Join(",", items), null);
    }
}

/// <summary>Go's time.ParseDuration and Duration.String(), for duration annotations (1m → 1m0s).</summary>
public static partial class GoDuration
{
    private static readonly Dictionary<string, decimal> Units = new()
    {
        ["ns"] = 1, ["us"] = 1_000, ["µs"] = 1_000, ["μs"] = 1_000, ["ms"] = 1_000_000, ["s"] = 1_000_000_000,
        ["m"] = 60_000_000_000, ["h"] = 3_600_000_000_000,
    };

    /// <summary>Nanoseconds, or null.</summary>
    public static long? Parse(string text)
    {
        if (text == "0") return 0;
        var m = Pattern().Match(text);
        if (!m.Success) return null;
        decimal total = 0;
        foreach (Capture c in m.Groups["part"].Captures)
        {
            var part = Part().Match(c.Value);
            total += decimal.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture) * Units[part.Groups[2].Value];
        }
        if (total > long.MaxValue) return null;
        return (long)(m.Groups["sign"].Value == "-" ? -total : total);
    }

    public static string Format(long ns)
    {
        if (ns == 0) return "0s";
        var sign = ns < 0 ? "-" : "";
        var u = (decimal)Math.Abs((decimal)ns);
        if (u < 1_000_000_000)
        {
            var (unit, size) = u < 1_000 ? ("ns", 1m) : u < 1_000_000 ? ("µs", 1_000m) : ("ms", 1_000_000m);
            return sign + Trim(u / size) + unit;
        }
        var hours = decimal.Truncate(u / 3_600_000_000_000m);
        u -= hours * 3_600_000_000_000m;
        var minutes = decimal.Truncate(u / 60_000_000_000m);
        u -= minutes * 60_000_000_000m;
        var text = hours > 0 ? $"{hours}h{minutes}m" : minutes > 0 ? $"{minutes}m" : "";
        return sign + text + Trim(u / 1_000_000_000m) + "s";
    }

    private static string Trim(decimal d) => d.ToString("0.#########", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<sign>[-+]?)(?<part>([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)$")]
    private static partial Regex Part();
}
