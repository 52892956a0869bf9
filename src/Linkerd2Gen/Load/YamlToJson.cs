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
    /// <summary>The document as UTF-8 JSON text, what the schema and the model are read from: no tree of JSON nodes in
    /// between (a mesh of a thousand services made tens of thousands of them, all garbage once read).</summary>
    /// <returns>The text, the source map, and whether a number is written as a float (1.0, 1e3): the one case that asks
    /// for <see cref="Validate.MeshSchema.CoerceIntegers"/> before the model is read.</returns>
    public static (byte[] Utf8, SourceMap Map, bool Floats) ToUtf8(YNode root, string file, DiagnosticBag? diagnostics = null)
    {
        var map = new SourceMap(file);
        var utf8 = new System.Buffers.ArrayBufferWriter<byte>();
        var floats = false;
        using (var writer = new Utf8JsonWriter(utf8, new JsonWriterOptions { SkipValidation = true }))
        {
            Write(writer, root, "", null, map, diagnostics ?? new DiagnosticBag(), ref floats);
        }
        return (utf8.WrittenSpan.ToArray(), map, floats);
    }

    /// <summary>The document as JSON nodes, for a caller that edits it.</summary>
    public static (JsonNode? Json, SourceMap Map) Convert(YNode root, string file, DiagnosticBag? diagnostics = null)
    {
        var (utf8, map, _) = ToUtf8(root, file, diagnostics);
        return (JsonNode.Parse(utf8), map);
    }

    private static void Write(Utf8JsonWriter writer, YNode node, string pointer, YScalar? key, SourceMap map, DiagnosticBag diagnostics, ref bool floats)
    {
        map.Add(pointer, key?.Start, node.Start);
        switch (node)
        {
            case YMapping mapping:
                writer.WriteStartObject();
                foreach (var entry in mapping.Entries)
                {
                    writer.WritePropertyName(entry.Key.Value);
                    Write(writer, entry.Value, SourceMap.Child(pointer, entry.Key.Value), entry.Key, map, diagnostics, ref floats);
                }
                writer.WriteEndObject();
                return;
            case YSequence sequence:
                writer.WriteStartArray();
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    Write(writer, sequence.Items[i], SourceMap.Child(pointer, i), null, map, diagnostics, ref floats);
                }
                writer.WriteEndArray();
                return;
            case YScalar scalar when scalar.Tag is null && (!scalar.IsPlain || IsSurelyText(scalar.Value)):
                // Most values are text however they are read (names, images, paths): written as they are, not typed.
                writer.WriteStringValue(scalar.Value);
                return;
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
                if (value is null) writer.WriteNullValue();
                else value.WriteTo(writer);
                floats |= value?.GetValueKind() == JsonValueKind.Number && !value.AsValue().TryGetValue<long>(out _);
                return;
            default:
                throw new InvalidOperationException(node.GetType().Name);
        }
    }

    /// <summary>Words YAML 1.2 or go-yaml's YAML 1.1 reads as a boolean or null (in the case forms they accept).</summary>
    private static readonly HashSet<string> Words = new(
        ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
         "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL"], StringComparer.Ordinal);

    /// <summary>Whether both dialects surely read this plain scalar as text, judged without typing it: a number, a
    /// timestamp, null (~) and .inf or .nan begin with a digit, a sign, a dot or '~'; the rest that is not text are
    /// <see cref="Words"/>. (Anything else is typed by both dialects and compared.)</summary>
    internal static bool IsSurelyText(string v) =>
        v.Length > 0 && v[0] is not ((>= '0' and <= '9') or '+' or '-' or '.' or '~') && !Words.Contains(v);

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
