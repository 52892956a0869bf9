using Linkerd2Gen.Diagnostics;

namespace Linkerd2Gen.Yaml;

/// <summary>A YAML scalar as written, with where it stands in its file: what the dialects' readings (<see cref="Yaml12"/>,
/// <see cref="GoYaml"/>) are decided from.</summary>
public sealed record YScalar(SourceLocation Start, string Value, bool IsPlain, string? Tag);
