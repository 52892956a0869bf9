using YamlDotNet.RepresentationModel;

namespace Linkerd2Gen.Tests.Support;

/// <summary>Reads rendered YAML back into plain objects for assertions.</summary>
public static class ReadBack
{
    public static List<YamlMappingNode> Documents(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    public static YamlNode? At(this YamlNode node, params string[] path)
    {
        YamlNode? current = node;
        foreach (var key in path)
        {
            current = current switch
            {
                YamlMappingNode m when m.Children.TryGetValue(new YamlScalarNode(key), out var v) => v,
                YamlSequenceNode s when int.TryParse(key, out var i) && i < s.Children.Count => s.Children[i],
                _ => null,
            };
        }
        return current;
    }

    public static string? Str(this YamlNode node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    public static YamlMappingNode Object(IEnumerable<YamlMappingNode> docs, string kind, string name) =>
        docs.Single(d => d.Str("kind") == kind && d.Str("metadata", "name") == name);

    /// <summary>A YAML document as JSON text, with scalars typed by the YAML 1.2 core schema (as Kubernetes reads them).</summary>
    public static string ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => "{" + string.Join(",", m.Children.Select(kv => System.Text.Json.JsonSerializer.Serialize(((YamlScalarNode)kv.Key).Value) + ":" + ToJson(kv.Value))) + "}",
        YamlSequenceNode s => "[" + string.Join(",", s.Children.Select(ToJson)) + "]",
        YamlScalarNode sc => Scalar(sc),
        _ => "null",
    };

    private static string Scalar(YamlScalarNode s)
    {
        if (s.Style != YamlDotNet.Core.ScalarStyle.Plain) return System.Text.Json.JsonSerializer.Serialize(s.Value);
        var json = Linkerd2Gen.Yaml.Yaml12.Resolve(new Linkerd2Gen.Yaml.YScalar(default, s.Value ?? "", true, null));
        return json?.ToJsonString() ?? "null";
    }
}
