
namespace Linkerd2Gen.Kubernetes;

/// <summary>One entry of a label or annotation map, kept in the order it is written.</summary>
public sealed record KeyValue(string Key, string Value);
