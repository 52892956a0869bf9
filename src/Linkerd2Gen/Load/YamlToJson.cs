using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Model;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Load;

/// <summary>
/// Converts the located YAML tree to JSON for schema validation (scalars resolved as YAML 1.2, see Yaml12),
/// recording where each node stands in the source map. A plain value that YAML 1.1 (kubectl, go-yaml) reads otherwise
/// than YAML 1.2 gets a warning: the mesh file and the manifests made from it must mean the same thing.
/// </summary>
public static class YamlToJson
{
    public static (JsonNode? Json, SourceMap Map) Convert(YNode root, string file, DiagnosticBag? diagnostics = null)
    {
        var map = new SourceMap(file);
        var json = Convert(root, "", null, map, diagnostics ?? new DiagnosticBag());
        return (json, map);
    }

    private static JsonNode? Convert(YNode node, string pointer, YScalar? key, SourceMap map, DiagnosticBag diagnostics)
    {
        map.Add(pointer, key?.Start, node.Start);
        switch (node)
        {
            case YMapping mapping:
                var obj = new JsonObject();
                foreach (var entry in mapping.Entries)
                {
                    obj[entry.Key.Value] = Convert(entry.Value, SourceMap.Child(pointer, entry.Key.Value), entry.Key, map, diagnostics);
                }
                return obj;
            case YSequence sequence:
                var array = new JsonArray();
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    array.Add(Convert(sequence.Items[i], SourceMap.Child(pointer, i), null, map, diagnostics));
                }
                return array;
            case YScalar scalar:
                var value = Yaml12.Resolve(scalar);
                if (scalar.IsPlain && scalar.Tag is null)
                {
                    if (value?.GetValueKind() == JsonValueKind.String && Yaml12.IsNonFiniteFloat(scalar.Value)) map.MarkNonFinite(pointer);
                    else if (Differs(value, GoYaml.Resolve(scalar.Value)) is { } readings)
                    {
                        diagnostics.Add(DiagnosticCatalog.YamlDialectsDisagree(node.Start, scalar.Value, readings.Item1, readings.Item2));
                    }
                }
                return value;
            default:
                throw new InvalidOperationException(node.GetType().Name);
        }
    }

    /// <summary>How YAML 1.2 and YAML 1.1 read a plain scalar, when they disagree.</summary>
    private static (string, string)? Differs(JsonNode? yaml12, JsonNode? yaml11)
    {
        static string Describe(JsonNode? v) => v?.GetValueKind() switch
        {
            null => "null",
            JsonValueKind.String => "a string",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {v.ToJsonString()}",
            _ => $"the number {double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)}",
        };
        // Most scalars are text in both dialects: that is agreement, whatever the text.
        if (yaml12?.GetValueKind() == JsonValueKind.String && yaml11?.GetValueKind() == JsonValueKind.String) return null;
        var (a, b) = (Describe(yaml12), Describe(yaml11));
        return a == b ? null : (a, b);
    }
}
