using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Linkerd2Gen.Load;

/// <summary>Reads Kubernetes manifests (multi-document YAML) into JSON objects, typing scalars as YAML 1.2 core does.</summary>
public static class ManifestReader
{
    public static List<JsonObject> Read(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents
            .Select(d => ToJson(d.RootNode))
            .OfType<JsonObject>()
            .ToList();
    }

    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode sc => YamlToJson.Scalar(new YScalar(default, sc.Value ?? "", sc.Style == ScalarStyle.Plain && sc.Tag.IsEmpty, sc.Tag.IsEmpty ? null : sc.Tag.Value)),
        _ => null,
    };
}
