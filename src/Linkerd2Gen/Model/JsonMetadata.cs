using System.Text.Json.Serialization;

namespace Linkerd2Gen.Model;

/// <summary>
/// Source-generated JSON metadata is set up on first use, type by type, under a lock: some milliseconds for a model of
/// tens of types, paid by the first read of a mesh and again by the first render (on every worker at once). Set up ahead,
/// on a core that is otherwise waiting, it is not on the way of either.
/// </summary>
internal static class JsonMetadata
{
    /// <summary>Sets up the metadata of <paramref name="root"/> and of every type it reaches (properties, items, keys).</summary>
    public static void Prepare(JsonSerializerContext context, Type root)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([root]);
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type) || !context.Options.TryGetTypeInfo(type, out var info)) continue;
            foreach (var property in info.Properties) pending.Push(property.PropertyType);
            if (info.ElementType is { } item) pending.Push(item);
            if (info.KeyType is { } key) pending.Push(key);
        }
    }
}
