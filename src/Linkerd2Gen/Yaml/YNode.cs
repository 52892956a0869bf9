using Linkerd2Gen.Diagnostics;

namespace Linkerd2Gen.Yaml;

/// <summary>A YAML node that remembers where it stands in its file.</summary>
public abstract record YNode(SourceLocation Start);

public sealed record YScalar(SourceLocation Start, string Value, bool IsPlain, string? Tag) : YNode(Start);

public sealed record YSequence(SourceLocation Start, IReadOnlyList<YNode> Items) : YNode(Start);

public sealed record YEntry(YScalar Key, YNode Value);

public sealed record YMapping(SourceLocation Start, IReadOnlyList<YEntry> Entries) : YNode(Start);
