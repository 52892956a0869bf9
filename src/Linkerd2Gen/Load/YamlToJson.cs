using System.Text.Json.Nodes;
using Linkerd2Gen.Model;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Load;

/// <summary>
/// Converts the located YAML tree to JSON for schema validation (scalars resolved as YAML 1.2, see Yaml12),
/// recording where each node stands in the source map.
/// </summary>
public static class YamlToJson
{
    public static (JsonNode? Json, SourceMap Map) Convert(YNode root, string file)
    {
        var map = new SourceMap(file);
        var json = Convert(root, "", null, map);
        return (json, map);
    }

    private static JsonNode? Convert(YNode node, string pointer, YScalar? key, SourceMap map)
    {
        map.Add(pointer, key?.Start, node.Start);
        switch (node)
        {
            case YMapping mapping:
                var obj = new JsonObject();
                foreach (var entry in mapping.Entries)
                {
                    obj[entry.Key.Value] = Convert(entry.Value, SourceMap.Child(pointer, entry.Key.Value), entry.Key, map);
                }
                return obj;
            case YSequence sequence:
                var array = new JsonArray();
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    array.Add(Convert(sequence.Items[i], SourceMap.Child(pointer, i), null, map));
                }
                return array;
            case YScalar scalar:
                return Yaml12.Resolve(scalar);
            default:
                throw new InvalidOperationException(node.GetType().Name);
        }
    }
}
