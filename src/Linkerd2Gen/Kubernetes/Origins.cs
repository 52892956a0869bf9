using System.Text.Json.Nodes;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Kubernetes;

/// <summary>
/// The ids (name and namespace) each object of a build has had, as Kustomize remembers a resource's original and previous
/// ids: a patch, a generator's merge, a replica count, a replacement or a var may name an object by a name it had before
/// a prefix, a suffix, a namespace or a patch changed it. (Objects stay the same objects when patched, so they are kept
/// by reference.)
/// </summary>
internal sealed class Origins
{
    private readonly Dictionary<JsonObject, List<(string Name, string? Namespace)>> _ids = new(ReferenceEqualityComparer.Instance);

    /// <summary>Remembers the object's id as it is now; the first remembered is the one it was written with.</summary>
    public void Remember(JsonObject o)
    {
        if (!_ids.TryGetValue(o, out var ids)) _ids[o] = ids = [];
        if (!ids.Contains(Now(o))) ids.Add(Now(o));
    }

    /// <summary>The name the object was written with (its name now, for one not yet remembered).</summary>
    public string First(JsonObject o) => Written(o).Name;

    /// <summary>Its name now and the one it was written with.</summary>
    public IReadOnlyCollection<string> Names(JsonObject o) => [Kustomization.Name(o), First(o)];

    /// <summary>Its namespace now and the one it was written with (none: null).</summary>
    public IReadOnlyCollection<string?> Namespaces(JsonObject o) => [Namespace(o), Written(o).Namespace];

    /// <summary>Every id the object has had, and its id now.</summary>
    public IEnumerable<(string Name, string? Namespace)> Ids(JsonObject o) => (_ids.GetValueOrDefault(o) ?? []).Append(Now(o));

    /// <summary>Whether the object has had this name (null: any) together with this namespace (null: any; none is `default`)
    /// at some step of the build: how Kustomize finds the object a strategic merge patch, a var or a replacement's selector
    /// names (by any of its ids).</summary>
    public bool Had(JsonObject o, string? name, string? ns) =>
        Ids(o).Any(id => (name is null || id.Name == name) && (ns is null || NameReferences.SameNamespace(id.Namespace, ns)));

    private static (string Name, string? Namespace) Now(JsonObject o) => (Kustomization.Name(o), Namespace(o));

    /// <summary>The id the object was written with (its id now, for one not yet remembered).</summary>
    private (string Name, string? Namespace) Written(JsonObject o) => _ids.TryGetValue(o, out var ids) ? ids[0] : Now(o);

    private static string? Namespace(JsonObject o) => o["metadata"].Field("namespace")?.ToString();
}
