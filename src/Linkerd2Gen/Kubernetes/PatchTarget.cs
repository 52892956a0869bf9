using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Kubernetes;

/// <summary>
/// The objects a Kustomize patch targets (api/types/selector.go): group, version, kind, name and namespace, each given a
/// regular expression matched whole (`name: api|web`, `kind: Deploy.*`); the objects' labels and annotations by
/// selectors (`labelSelector: tier in (web),!canary`). What is not given matches every object.
/// </summary>
public sealed class PatchTarget
{
    private readonly Regex? _group, _version, _kind, _name, _namespace;
    private readonly LabelSelector? _labels, _annotations;

    private PatchTarget(Regex? group, Regex? version, Regex? kind, Regex? name, Regex? @namespace, LabelSelector? labels, LabelSelector? annotations) =>
        (_group, _version, _kind, _name, _namespace, _labels, _annotations) = (group, version, kind, name, @namespace, labels, annotations);

    /// <summary>The target, or null with what is wrong in it (a pattern or a selector that does not parse).</summary>
    public static PatchTarget? Parse(JsonObject target, out string? error)
    {
        error = null;
        string? problem = null;
        Regex? Pattern(string field)
        {
            if (target[field]?.ToString() is not { Length: > 0 } text) return null;
            try
            {
                // Kustomize anchors each: "^(?:" + s + ")$". Matched without backtracking, as Go's RE2 matches: in time linear
                // in the name, whatever the pattern (`(a+)+b` too), and refusing what RE2 refuses (lookarounds, backreferences).
                return new Regex($"^(?:{text})$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                problem ??= $"the target's {field} '{text}' is no regular expression: {e.Message}";
                return null;
            }
        }
        LabelSelector? Selector(string field)
        {
            if (target[field]?.ToString() is not { } text) return null;
            var selector = LabelSelector.Parse(text, out var wrong);
            if (wrong is not null) problem ??= $"the target's {field}: {wrong}";
            return selector;
        }
        var parsed = new PatchTarget(Pattern("group"), Pattern("version"), Pattern("kind"), Pattern("name"), Pattern("namespace"),
            Selector("labelSelector"), Selector("annotationSelector"));
        error = problem;
        return problem is null ? parsed : null;
    }

    /// <summary>Whether the patch applies to <paramref name="o"/>, known by any of <paramref name="names"/> (its name now,
    /// and as written) or else by its name, and in any of <paramref name="namespaces"/> (now, and as written) or else in its
    /// namespace, as Kustomize's Select matches them.</summary>
    public bool Matches(JsonObject o, IReadOnlyCollection<string>? names = null, IReadOnlyCollection<string?>? namespaces = null)
    {
        var (group, version) = ApiVersion.Split(o["apiVersion"]?.ToString() ?? "");
        static bool Is(Regex? wanted, string? actual) => wanted is null || wanted.IsMatch(actual ?? "");
        var metadata = o["metadata"] as JsonObject;
        var kind = o["kind"]?.ToString();
        // Kustomize's EffectiveNamespace: none is `default`, and a cluster-scoped object's is a word no namespace can be.
        string Effective(string? ns) => Kustomization.ClusterScoped.Contains(kind ?? "") ? "_non_namespaceable_" : string.IsNullOrEmpty(ns) ? "default" : ns;
        return Is(_group, group) && Is(_version, version) && Is(_kind, kind)
            && (_name is null || (names ?? [metadata.Field("name")?.ToString() ?? ""]).Any(_name.IsMatch))
            && (_namespace is null || (namespaces ?? [metadata.Field("namespace")?.ToString()]).Any(ns => _namespace.IsMatch(Effective(ns))))
            && (_labels is null || _labels.Matches(metadata.Field("labels")))
            && (_annotations is null || _annotations.Matches(metadata.Field("annotations")));
    }
}
