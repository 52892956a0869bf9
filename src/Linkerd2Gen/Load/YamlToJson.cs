using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Model;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Load;

/// <summary>
/// Writes the JSON a mesh file reads as, node by node as the loader reads them (scalars resolved as YAML 1.2, see
/// Yaml12), and records where each node stands in the source map. A plain value that YAML 1.1 (kubectl, go-yaml) reads
/// otherwise than YAML 1.2 gets a warning: the mesh file and the manifests made from it must mean the same thing.
/// </summary>
/// <remarks>Written as the file is read, with no tree of nodes in between: a mesh of a thousand services made tens of
/// thousands of them, which the collector copied while the file was read and which were garbage once converted.</remarks>
internal sealed class YamlToJson
{
    private readonly System.Buffers.ArrayBufferWriter<byte> _utf8;
    private readonly Utf8JsonWriter _writer;

    /// <param name="length">The YAML text's length: its JSON is about as long or shorter (JSON's quotes and commas take
    /// about the room of YAML's indentation), so a buffer that size is not grown again and again on the large object heap.</param>
    public YamlToJson(string file, int length)
    {
        Map = new SourceMap(file);
        _utf8 = new System.Buffers.ArrayBufferWriter<byte>(length + 1024);
        _writer = new Utf8JsonWriter(_utf8, new JsonWriterOptions { SkipValidation = true });
    }

    public SourceMap Map { get; }

    /// <summary>Whether a number is written as a float (1.0, 1e3): the one case that asks for
    /// <see cref="Validate.MeshSchema.CoerceIntegers"/> before the model is read.</summary>
    public bool Floats { get; private set; }

    /// <summary>The values the two YAML dialects read differently: worth telling only about a file that loads.</summary>
    public List<Diagnostic> Warnings { get; } = [];

    /// <summary>Above zero while the loader reads what the document will not hold (a complex key, a key written twice):
    /// the file is refused, and none of it is written.</summary>
    public int Muted { get; set; }

    /// <summary>The JSON text, once the document is read.</summary>
    public ReadOnlyMemory<byte> Written()
    {
        _writer.Flush();
        return _utf8.WrittenMemory;
    }

    /// <summary>Where the next value's JSON begins (what is written so far is flushed).</summary>
    public int Position
    {
        get
        {
            _writer.Flush();
            return _utf8.WrittenCount;
        }
    }

    /// <summary>The JSON of the value written since <paramref name="position"/>, without the comma that put it in its
    /// list. The bytes stay as they are: what follows is written after them (or in a larger copy of the buffer).</summary>
    public ReadOnlyMemory<byte> Since(int position)
    {
        _writer.Flush();
        var value = _utf8.WrittenMemory[position..];
        return value.Span is [(byte)',', ..] ? value[1..] : value;
    }

    public void StartObject(string pointer, SourceLocation? key, SourceLocation at)
    {
        if (Muted > 0) return;
        Map.Add(pointer, key, at);
        _writer.WriteStartObject();
    }

    public void PropertyName(string name)
    {
        if (Muted == 0) _writer.WritePropertyName(name);
    }

    public void EndObject()
    {
        if (Muted == 0) _writer.WriteEndObject();
    }

    public void StartArray(string pointer, SourceLocation? key, SourceLocation at)
    {
        if (Muted > 0) return;
        Map.Add(pointer, key, at);
        _writer.WriteStartArray();
    }

    public void EndArray()
    {
        if (Muted == 0) _writer.WriteEndArray();
    }

    public void Scalar(string pointer, SourceLocation? key, YScalar scalar)
    {
        if (Muted > 0) return;
        Map.Add(pointer, key, scalar.Start);
        if (scalar.Tag is null && (!scalar.IsPlain || IsSurelyText(scalar.Value)))
        {
            // Most values are text however they are read (names, images, paths): written as they are, not typed.
            _writer.WriteStringValue(scalar.Value);
            return;
        }
        var value = Yaml12.Resolve(scalar);
        if (scalar.IsPlain && scalar.Tag is null)
        {
            if (value?.GetValueKind() == JsonValueKind.String && Yaml12.IsNonFiniteFloat(scalar.Value)) Map.MarkNonFinite(pointer);
            else if (Differs(value, GoYaml.Resolve(scalar.Value)) is { } readings)
            {
                Warnings.Add(DiagnosticCatalog.YamlDialectsDisagree(scalar.Start, scalar.Value, readings.Item1, readings.Item2));
            }
        }
        if (value is null) _writer.WriteNullValue();
        else value.WriteTo(_writer);
        Floats |= value?.GetValueKind() == JsonValueKind.Number && !value.AsValue().TryGetValue<long>(out _);
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
        // So is the same value (a port, a replica count, a boolean), known without describing either: a description
        // formats a number through a JSON writer.
        if (JsonNode.DeepEquals(yaml12, yaml11)) return null;
        var (a, b) = (Describe(yaml12), Describe(yaml11));
        return a == b ? null : (a, b);
    }
}
