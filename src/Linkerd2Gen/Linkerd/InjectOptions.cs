using Linkerd2Gen.Kubernetes;

namespace Linkerd2Gen.Linkerd;

/// <summary>
/// What `inject` adds to a pod template: linkerd.io/inject (enabled, or ingress) and the config annotations
/// that override the control plane's defaults, keyed by annotation.
/// </summary>
public sealed record InjectOptions(bool Ingress, IReadOnlyDictionary<string, string> Overrides, bool Verbose = false)
{
    public static readonly InjectOptions Default = new(false, new Dictionary<string, string>());

    public string InjectValue => Ingress ? "ingress" : "enabled";

    /// <summary>The pod-template annotations, sorted: one implementation for `inject` and for rendered gateway patches.</summary>
    public IReadOnlyList<KeyValue> PodAnnotations() =>
        Overrides.Append(KeyValuePair.Create(ProxySettings.InjectAnnotation, InjectValue))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new KeyValue(kv.Key, kv.Value))
            .ToList();
}
